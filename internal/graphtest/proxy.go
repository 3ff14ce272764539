package graphtest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph/graph"
)

// Proxy forwards a loopback port to the test database's Bolt port, so a
// test can play an unreachable Neo4j without stopping the shared server:
// Down closes the port and every connection through it, Up opens the same
// port again.
type Proxy struct {
	tb     testing.TB
	addr   string
	target string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

// NewProxy starts a proxy to the test database; it is closed when tb ends.
func NewProxy(tb testing.TB) *Proxy {
	tb.Helper()
	u, err := url.Parse(Config(tb).URI)
	if err != nil {
		tb.Fatalf("graphtest: NEO4J_URI: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{tb: tb, addr: ln.Addr().String(), target: u.Host, conns: map[net.Conn]bool{}}
	p.accept(ln)
	tb.Cleanup(p.Down)
	return p
}

// URI is the proxy's Bolt URI (bolt://, one server: no routing).
func (p *Proxy) URI() string { return "bolt://" + p.addr }

// Config is the test database's Config with the proxy's URI.
func (p *Proxy) Config() graph.Config {
	cfg := Config(p.tb)
	cfg.URI = p.URI()
	return cfg
}

func (p *Proxy) accept(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", p.target)
			if err != nil {
				client.Close()
				continue
			}
			p.mu.Lock()
			p.conns[client], p.conns[server] = true, true
			p.mu.Unlock()
			go p.pipe(server, client)
			go p.pipe(client, server)
		}
	}()
}

// pipe copies from one side to the other and closes both at the end.
func (p *Proxy) pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
	p.mu.Lock()
	delete(p.conns, dst)
	delete(p.conns, src)
	p.mu.Unlock()
}

// Down closes the port, so that connecting is refused, and every
// connection through it.
func (p *Proxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
}

// Up opens the same port again.
func (p *Proxy) Up() {
	p.tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ln, err := net.Listen("tcp", p.addr)
		if err == nil {
			p.accept(ln)
			return
		}
		if time.Now().After(deadline) {
			p.tb.Fatalf("graphtest: reopen the Neo4j proxy on %s: %v", p.addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
