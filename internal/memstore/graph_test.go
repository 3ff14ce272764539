package memstore_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
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
