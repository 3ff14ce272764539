package api_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestReadyzAgainstNeo4j checks /readyz with the real Checker: ready when
// Neo4j is up and migrated, 503 with the reason when it cannot be reached,
// never naming Neo4j's address.
func TestReadyzAgainstNeo4j(t *testing.T) {
	up := graphtest.Open(t)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	closed := ln.Addr().String()
	ln.Close()
	down, err := graph.New(graph.Config{URI: "bolt://" + closed, Username: "neo4j", Password: "x"})
	if err != nil {
		t.Fatalf("graph.New: %v", err)
	}
	t.Cleanup(func() { down.Close(context.Background()) })

	tests := []struct {
		name       string
		db         *graph.DB
		wantStatus int
		wantBody   string
		wantInMsg  string
	}{
		{name: "neo4j up and migrated", db: up, wantStatus: 200, wantBody: `{"status":"ready"}`},
		{name: "neo4j down", db: down, wantStatus: 503, wantInMsg: "neo4j unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			api.New(api.Config{Checker: tt.db}).Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantBody != "" {
				if got := strings.TrimSpace(rec.Body.String()); got != tt.wantBody {
					t.Errorf("body = %s, want %s", got, tt.wantBody)
				}
				return
			}
			var body errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q is not the error JSON: %v", rec.Body, err)
			}
			if body.Error.Code != "unavailable" {
				t.Errorf("error.code = %q, want unavailable", body.Error.Code)
			}
			if !strings.HasPrefix(body.Error.Message, tt.wantInMsg) {
				t.Errorf("error.message = %q, want it to start with %q", body.Error.Message, tt.wantInMsg)
			}
			if _, port, _ := net.SplitHostPort(closed); strings.Contains(rec.Body.String(), port) {
				t.Errorf("body %s names Neo4j's address %s; it belongs in the log only", rec.Body, closed)
			}
		})
	}
}
