package test

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph/internal/graphtest"
)

// proxy forwards a loopback port to Neo4j's Bolt port and can be cut and
// restored, to play an unreachable database without stopping the shared one.
type proxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

// down closes the port and every connection through it.
func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// up opens the same port again.
func (p *proxy) up() {
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			p.serve(ln)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("reopen proxy on %s: %v", p.addr, err)
}

func TestNeo4jDownAnswers503AndTheRetrySucceeds(t *testing.T) {
	u, err := url.Parse(graphtest.Config(t).URI)
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, u.Host)
	a := startAPIAt(t, "bolt://"+px.addr)

	event := []byte(`{"userId":"retry-user","messageId":"retry-1","traits":{"plan":"pro"}}`)
	px.down()
	req, _ := http.NewRequest(http.MethodPost, a.base+"/v1/identify", strings.NewReader(string(event)))
	req.SetBasicAuth(a.kicksKey, "")
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("with Neo4j down: got %d (Retry-After %q) %s, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if code, _ := a.do(http.MethodGet, "/readyz", "", nil); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with Neo4j down: got %d, want 503", code)
	}

	px.up()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, out := a.do(http.MethodPost, "/v1/identify", a.kicksKey, event)
		if code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after Neo4j came back, the retry still fails: %d %s", code, out)
		}
		time.Sleep(500 * time.Millisecond)
	}
	var events struct{ Data []map[string]any }
	a.get("user_id:retry-user", "events", &events)
	if len(events.Data) != 1 {
		t.Errorf("events after the retry: got %d, want exactly 1 (nothing lost, nothing doubled)", len(events.Data))
	}
}
