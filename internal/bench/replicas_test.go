package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestIngestSpread sends a stream across two replicas, one of which always
// answers 503: every batch ends at the healthy one, those first sent to the
// failing one are counted as sent again, and none is lost.
func TestIngestSpread(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteWorkload(dir, Workload{Events: 500, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var good, bad atomic.Int64
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		good.Add(1)
		w.Write([]byte(`{"success":true}`))
	}))
	defer ok.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bad.Add(1)
		http.Error(w, `{"error":{"code":"unavailable"}}`, http.StatusServiceUnavailable)
	}))
	defer down.Close()
	keys := map[string]string{}
	for _, a := range Apps {
		keys[a.Source] = "wk_" + a.Source
	}
	file := filepath.Join(dir, EventsFile)
	res, err := ingestSpread(context.Background(), ok.Client(), []string{ok.URL, down.URL}, 3, file, keys, 500, 4, 50)
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != 500 || res.Abandoned != 0 {
		t.Errorf("got %d events answered 200 and %d batches given up, want 500 and 0", res.Events, res.Abandoned)
	}
	if got, want := int64(res.Retries), bad.Load(); got != want {
		t.Errorf("got %d batches sent again, want %d (the 503s)", got, want)
	}
	if got, want := good.Load(), int64(res.Requests); got != want {
		t.Errorf("the healthy replica took %d batches, want %d", got, want)
	}
	if !strings.HasPrefix(res.Problem, down.URL) {
		t.Errorf("first failure %q does not name the failing replica %s", res.Problem, down.URL)
	}
	sent, err := sentKeys(file, 500)
	if err != nil {
		t.Fatal(err)
	}
	if sent == 0 || sent > 500 {
		t.Errorf("sentKeys: got %d distinct events of 500", sent)
	}

	// Through the failing replica alone, every batch is given up after 3 tries.
	res, err = ingestSpread(context.Background(), ok.Client(), []string{down.URL}, 3, file, keys, 100, 2, 50)
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != 0 || res.Abandoned != res.Requests || res.Retries != 2*res.Requests {
		t.Errorf("through a failing replica: got %d events, %d of %d batches given up, %d sent again; want 0, all, 2 each",
			res.Events, res.Abandoned, res.Requests, res.Retries)
	}
}
