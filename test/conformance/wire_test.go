package conformance

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync"
	"testing"
)

// wire is a loopback reverse proxy in front of idgraph that notes how the
// clients encode what they POST (Content-Type, and Content-Encoding when
// there is one), so a test checks that an SDK sent what it is known to send:
// RudderStack's Node SDK gzipped JSON as a form, say.
type wire struct {
	url string

	mu   sync.Mutex
	seen map[string]bool
}

func newWire(t *testing.T, target string) *wire {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	idgraph := httputil.NewSingleHostReverseProxy(u)
	// A client that times out cancels its request: no news.
	idgraph.ErrorLog = log.New(io.Discard, "", 0)
	w := &wire{seen: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			encoding := r.Header.Get("Content-Type")
			if ce := r.Header.Get("Content-Encoding"); ce != "" {
				encoding += ", " + ce
			}
			w.mu.Lock()
			w.seen[encoding] = true
			w.mu.Unlock()
		}
		idgraph.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	w.url = srv.URL
	return w
}

// encodings lists, sorted, every encoding the clients' POSTs came in.
func (w *wire) encodings() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Sorted(func(yield func(string) bool) {
		for e := range w.seen {
			if !yield(e) {
				return
			}
		}
	})
}
