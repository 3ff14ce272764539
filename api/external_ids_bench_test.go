package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/idgraph/idgraph/api"
)

// BenchmarkExternalIDs measures what a lookup costs idgraph itself once the
// profile is in hand, as on a profile cache hit: routing, the access token,
// the handler, JSON, the access log line and the metrics, against a store
// that answers from memory.
func BenchmarkExternalIDs(b *testing.B) {
	s := api.New(api.Config{
		Logger:   slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Profiles: newProfileStore(),
		Spaces:   testSpaces(b),
		Metrics:  api.NewMetrics(),
	})
	h := s.Handler()
	req := httptest.NewRequest(http.MethodGet, usersPath+"user_id:u1/external_ids", nil)
	req.SetBasicAuth(alphaToken, "")
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("external_ids = %d %s", w.Code, w.Body)
		}
	}
}
