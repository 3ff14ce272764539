package test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph/internal/faultproxy"
	"github.com/idgraph/idgraph/internal/graphtest"
)

func TestNeo4jDownAnswers503AndTheRetrySucceeds(t *testing.T) {
	u, err := url.Parse(graphtest.Config(t).URI)
	if err != nil {
		t.Fatal(err)
	}
	px, err := faultproxy.New(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(px.Close)
	a := startAPIAt(t, "bolt://"+px.Addr())

	event := []byte(`{"userId":"retry-user","messageId":"retry-1","traits":{"plan":"pro"}}`)
	px.Down()
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

	if err := px.Up(); err != nil {
		t.Fatal(err)
	}
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
