package graph_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
)

// stageEvents parses one stage file of the seed story.
func stageEvents(t *testing.T, file string) []idgraph.Event {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "test", "testdata", "seed", file))
	if err != nil {
		t.Fatal(err)
	}
	var events []idgraph.Event
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		ev, err := idgraph.ParseEvent([]byte(line), time.Date(2019, 11, 20, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("parse %s: %v", line, err)
		}
		events = append(events, ev)
	}
	return events
}

// TestDryResolveRunsEveryStatementAndWritesNothing checks the seam the
// benchmark profiles the write path through: every statement goes through
// the caller's function, the counts are Resolve's, and nothing is written.
func TestDryResolveRunsEveryStatementAndWritesNothing(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.loadSeed("1-anonymous-to-known.ndjson")
	events := stageEvents(t, "2-cross-device.ndjson")
	before := e.counts()

	var names []string
	recording := func(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]*neo4j.Record, error) {
		names = append(names, name)
		return graph.RunQuery(ctx, tx, name, params)
	}
	dry, err := e.store.DryResolve(e.ctx, e.space, segkicks, events, recording)
	if err != nil {
		t.Fatalf("DryResolve: %v", err)
	}
	if after := e.counts(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("DryResolve wrote to the graph:\nbefore %v\n after %v", before, after)
	}
	for _, want := range []string{"find_events", "find_suppressed", "merge_identifiers", "lock_profiles", "merge_profiles", "move_memberships", "merge_edges", "write_events", "append_changes"} {
		if !slices.Contains(names, want) {
			t.Errorf("statements run through the function: %v, want %s among them", names, want)
		}
	}
	if len(names) < 3 || names[0] != "lock_space" || names[1] != "find_rules_head" || names[2] != "find_events" || names[len(names)-1] != "append_changes" {
		t.Errorf("statements: got %v, want lock_space (the space's lock, before any other) first, find_rules_head (the active rules, read under the lock) and find_events next and append_changes (the feed, on the same node) last", names)
	}

	got, err := e.store.Resolve(e.ctx, e.space, segkicks, events)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if got != dry || got.Loaded != 1 {
		t.Errorf("DryResolve counted %+v, Resolve %+v: want the same, one event loaded", dry, got)
	}
}
