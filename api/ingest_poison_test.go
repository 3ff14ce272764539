package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestIngestPoisonedRequestsFailAlone sends 40 good requests and 2
// poisoned ones (an identifier type Neo4j cannot index) at once, from one
// source, through the real writer and store: the poisoned ones get a 400
// naming their field, and every good one is committed.
func TestIngestPoisonedRequestsFailAlone(t *testing.T) {
	db := graphtest.Open(t)
	space := graphtest.Space(t)
	store := graph.NewStore(db)
	h := ingestServer(t, store, ingestSpaces(t, space), api.NewMetrics())

	long := strings.Repeat("t", 9000)
	poisons := map[int]map[string]any{
		7:  {"externalIds": []any{map[string]any{"id": "x", "type": long}}},
		23: {"device": map[string]any{"type": long, "id": "d1"}},
	}
	wantField := map[int]string{7: "context.externalIds[0].type", 23: "context.device.type"}
	codes := make([]int, 42)
	bodies := make([]string, 42)
	var wg sync.WaitGroup
	for i := range 42 {
		wg.Go(func() {
			e := trackEvent(fmt.Sprintf("m%d", i))
			e["userId"] = fmt.Sprintf("u%d", i)
			if ctx, ok := poisons[i]; ok {
				e["context"] = ctx
			}
			rec := ingestRequest{path: "/v1/track", basic: kicksKey, body: jsonOf(t, e)}.send(t, h)
			codes[i], bodies[i] = rec.Code, rec.Body.String()
		})
	}
	wg.Wait()
	for i := range 42 {
		if field, poisoned := wantField[i]; poisoned {
			if codes[i] != 400 || !strings.Contains(bodies[i], field) {
				t.Errorf("poisoned request %d: %d %s; want 400 naming %s", i, codes[i], bodies[i], field)
			}
			continue
		}
		if codes[i] != 200 {
			t.Errorf("request %d: %d %s; want 200", i, codes[i], bodies[i])
			continue
		}
		id := idgraph.Identifier{Type: idgraph.TypeUserID, Value: fmt.Sprintf("u%d", i)}
		if _, err := store.Profile(context.Background(), space, id); err != nil {
			t.Errorf("profile of %s: %v; want it committed", id, err)
		}
	}
}
