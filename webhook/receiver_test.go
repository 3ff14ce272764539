package webhook_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/webhook"
)

const secret = "a-secret-of-some-length"

// attempt is one POST a receiver got.
type attempt struct {
	at       time.Time
	ids      []string
	verified bool
	status   int
}

// receiver is a webhook endpoint on loopback: answer picks each attempt's
// status (200 when nil); it records every attempt and, once, each change
// id it took.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	answer func(n int) int

	mu       sync.Mutex
	attempts []attempt
	taken    []string
	seen     map[string]bool
}

func newReceiver(t *testing.T, answer func(n int) int) *receiver {
	r := &receiver{t: t, answer: answer, seen: map[string]bool{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	var d webhook.Delivery
	if err := json.Unmarshal(body, &d); err != nil || req.Method != "POST" || req.Header.Get("Content-Type") != "application/json" {
		r.t.Errorf("delivery %s %q (%s): %v", req.Method, body, req.Header.Get("Content-Type"), err)
	}
	a := attempt{at: time.Now(), verified: idgraph.VerifyWebhook(secret, body, req.Header.Get(idgraph.WebhookSignatureHeader)), status: 200}
	for _, c := range d.Changes {
		a.ids = append(a.ids, c.ID)
	}
	r.mu.Lock()
	if r.answer != nil {
		a.status = r.answer(len(r.attempts))
	}
	r.attempts = append(r.attempts, a)
	if a.status == 200 {
		for _, id := range a.ids {
			if !r.seen[id] {
				r.seen[id] = true
				r.taken = append(r.taken, id)
			}
		}
	}
	r.mu.Unlock()
	w.WriteHeader(a.status)
}

func (r *receiver) hook() idgraph.Webhook {
	return idgraph.Webhook{URL: r.srv.URL + "/hook", Secret: secret}
}

// waitTaken waits until the receiver took n distinct changes.
func (r *receiver) waitTaken(n int) []string {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r.mu.Lock()
		got := append([]string(nil), r.taken...)
		r.mu.Unlock()
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) < n {
				r.t.Fatalf("the receiver took %d changes, want %d", len(got), n)
			}
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (r *receiver) all() []attempt {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]attempt(nil), r.attempts...)
}

// deliveredOnce fails the test for a change delivered more than once.
func (r *receiver) deliveredOnce() {
	r.t.Helper()
	seen := map[string]bool{}
	for _, a := range r.all() {
		for _, id := range a.ids {
			if seen[id] {
				r.t.Errorf("change %s delivered twice", id)
			}
			seen[id] = true
		}
	}
}
