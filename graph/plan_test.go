package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestPlanRunsTheHotReads runs every hot read query once: lookups,
// explanations, event pages both ways and metadata.
func TestPlanRunsTheHotReads(t *testing.T) {
	store := graph.NewStore(graphtest.Open(t))
	n, err := store.Plan(context.Background())
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if want := len(graph.HotReadNames()); n != want {
		t.Errorf("Plan ran %d queries, want %d", n, want)
	}
	for _, q := range []string{"find_profile", "find_profile_by_id", "find_explanation", "list_events", "list_events_oldest", "find_metadata"} {
		if !slices.Contains(graph.HotReadNames(), q) {
			t.Errorf("Plan does not plan %s; it plans %v", q, graph.HotReadNames())
		}
	}
}

// TestPlanGivesUpAtItsDeadline holds Plan to its context when Neo4j does
// not answer (a server that accepts connections and never speaks): it
// returns by the deadline, with an error that names the query it was
// planning, so start-up goes on.
func TestPlanGivesUpAtItsDeadline(t *testing.T) {
	db, err := graph.New(graph.Config{URI: graphtest.Silent(t), Username: "neo4j", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	n, err := graph.NewStore(db).Plan(ctx)
	took := time.Since(start)
	if err == nil {
		t.Fatalf("Plan against a silent server: no error, %d queries planned", n)
	}
	if n != 0 {
		t.Errorf("Plan against a silent server planned %d queries, want 0", n)
	}
	if took > 3*time.Second {
		t.Errorf("Plan took %v against a 500ms deadline", took)
	}
	if msg := err.Error(); !strings.Contains(msg, "plan "+graph.HotReadNames()[0]) {
		t.Errorf("error %q does not name the query being planned (%s)", msg, graph.HotReadNames()[0])
	}
	if code := idgraph.ErrorCode(err); code != idgraph.EUNAVAILABLE {
		t.Errorf("error code %s, want EUNAVAILABLE: %v", code, err)
	}
	t.Logf("Plan against a silent server, after %v: %v", took.Round(time.Millisecond), err)
}
