package test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/idgraph/idgraph/internal/graphtest"
)

// promptly bounds how long idgraph may take to answer 503 while Neo4j is
// unreachable: well inside the shortest default timeout of Segment's
// libraries (10 s for Node and Go), so that every client hears the 503.
const promptly = 3 * time.Second

func TestNeo4jDownAnswers503AtOnceAndTheRetrySucceeds(t *testing.T) {
	px := graphtest.NewProxy(t)
	a := startAPIAt(t, px.URI())
	known := []byte(`{"userId":"known-user","messageId":"known-1","traits":{"plan":"free"}}`)
	if code, out := a.do(http.MethodPost, "/v1/identify", a.kicksKey, known); code != http.StatusOK {
		t.Fatalf("before the outage: %d %s", code, out)
	}

	event := []byte(`{"userId":"retry-user","messageId":"retry-1","traits":{"plan":"pro"}}`)
	px.Down()
	for _, r := range []struct {
		name, method, path, key string
		body                    []byte
	}{
		{"an event", http.MethodPost, "/v1/identify", a.kicksKey, event},
		{"a batch", http.MethodPost, "/v1/batch", a.kicksKey, []byte(`{"batch":[{"type":"identify","userId":"retry-user","messageId":"retry-2"}]}`)},
		{"a profile lookup", http.MethodGet, "/v1/spaces/" + a.space + "/collections/users/profiles/user_id:known-user/traits", a.token, nil},
	} {
		start := time.Now()
		code, retryAfter, body := a.request(r.method, r.path, r.key, r.body)
		took := time.Since(start)
		if code != http.StatusServiceUnavailable || retryAfter == "" {
			t.Errorf("%s with Neo4j down: got %d (Retry-After %q) %s, want 503 with Retry-After", r.name, code, retryAfter, body)
		}
		if took > promptly {
			t.Errorf("%s with Neo4j down: answered after %s, want within %s", r.name, took.Round(time.Millisecond), promptly)
		}
		t.Logf("%s with Neo4j down: %d in %s", r.name, code, took.Round(time.Millisecond))
	}
	if code, _ := a.do(http.MethodGet, "/readyz", "", nil); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with Neo4j down: got %d, want 503", code)
	}

	px.Up()
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

// request is do that also returns the Retry-After header.
func (a *api) request(method, path, key string, body []byte) (code int, retryAfter string, out []byte) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.SetBasicAuth(key, "")
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ = io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), out
}
