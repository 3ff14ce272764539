package memstore_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/graphtest"
	"github.com/idgraph/idgraph/internal/memstore"
)

// TestResolvesAsTheGraphStoreDoes sends the seed story, replayed, through
// the in-memory store and graph.Store, event by event from the source its
// app names, and compares the counts and the profiles.
func TestResolvesAsTheGraphStoreDoes(t *testing.T) {
	ctx := context.Background()
	db := graphtest.Open(t)
	gs, ms := graph.NewStore(db), memstore.New()
	gspace := idgraph.Space{ID: graphtest.Space(t), Rules: idgraph.DefaultRules()}
	mspace := idgraph.Space{ID: "seed", Rules: idgraph.DefaultRules()}
	var ids []idgraph.Identifier
	for range 2 {
		for _, e := range seedEvents(t) {
			source := idgraph.Source{ID: "segkicks"}
			if app, _ := e.Context["app"].(map[string]any); app["name"] == "SegRuns" {
				source.ID = "segruns"
			}
			want, err := gs.Resolve(ctx, gspace, source, []idgraph.Event{e})
			if err != nil {
				t.Fatal(err)
			}
			got, err := ms.Resolve(ctx, mspace, source, []idgraph.Event{e})
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("event %s: memstore counted %+v, graph.Store %+v", e.MessageID, got, want)
			}
			found, _ := mspace.Rules.Extract(e)
			ids = append(ids, found...)
		}
	}
	for _, id := range ids {
		want, err := gs.Profile(ctx, gspace.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ms.Profile(ctx, mspace.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := identifiers(got), identifiers(want); g != w {
			t.Errorf("profile of %s: memstore holds %s, graph.Store %s", id, g, w)
		}
	}
}

func identifiers(p idgraph.Profile) string {
	var s []string
	for _, x := range p.Identifiers {
		s = append(s, x.Identifier.String())
	}
	slices.Sort(s)
	return strings.Join(s, " ")
}

func seedEvents(t *testing.T) []idgraph.Event {
	t.Helper()
	var events []idgraph.Event
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "seed", f))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			e, err := idgraph.ParseEvent([]byte(line), time.Date(2019, 11, 20, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			events = append(events, e)
		}
	}
	return events
}

// TestResolvesGeneratedBatchesAsTheGraphStoreDoes sends a generated
// workload with every noise kind through both stores in batches of 500
// events of one source, as the writer hands them over: its shared devices
// and kiosks make batches that re-home and resolve again. Every batch
// counts the same, and every identifier ends in the same profile (a
// shared one in memstore alone in its own, which graph.Store does not
// name).
func TestResolvesGeneratedBatchesAsTheGraphStoreDoes(t *testing.T) {
	_, events, sources, err := bench.GeneratedEvents(3000, 7)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	gs, ms := graph.NewStore(graphtest.Open(t)), memstore.New()
	gspace := idgraph.Space{ID: graphtest.Space(t), Rules: idgraph.DefaultRules()}
	mspace := idgraph.Space{ID: "generated", Rules: idgraph.DefaultRules()}
	batches := map[string][]idgraph.Event{}
	var ids []idgraph.Identifier
	seen := map[idgraph.Identifier]bool{}
	send := func(source string) {
		want, err := gs.Resolve(ctx, gspace, idgraph.Source{ID: source}, batches[source])
		if err != nil {
			t.Fatal(err)
		}
		got, err := ms.Resolve(ctx, mspace, idgraph.Source{ID: source}, batches[source])
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("batch of %s ending %s: memstore counted %+v, graph.Store %+v", source, batches[source][len(batches[source])-1].MessageID, got, want)
		}
		delete(batches, source)
	}
	for i, e := range events {
		source := sources[i]
		batches[source] = append(batches[source], e)
		found, _ := mspace.Rules.Extract(e)
		for _, id := range found {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if len(batches[source]) == 500 {
			send(source)
		}
	}
	for _, source := range slices.Sorted(maps.Keys(batches)) {
		send(source)
	}
	for _, id := range ids {
		want, werr := gs.Profile(ctx, gspace.ID, id)
		got, err := ms.Profile(ctx, mspace.ID, id)
		if idgraph.ErrorCode(werr) == idgraph.ECONFLICT {
			// graph.Store names no one profile for a shared identifier;
			// memstore keeps it, as both do, in a profile of its own.
			if g := identifiers(got); err != nil || g != id.String() {
				t.Errorf("profile of shared %s: memstore holds %s (%v), want it alone", id, g, err)
			}
			continue
		}
		if idgraph.ErrorCode(err) != idgraph.ErrorCode(werr) {
			t.Fatalf("profile of %s: memstore %v, graph.Store %v", id, err, werr)
		}
		if g, w := identifiers(got), identifiers(want); err == nil && g != w {
			t.Errorf("profile of %s: memstore holds %s, graph.Store %s", id, g, w)
		}
	}
}
