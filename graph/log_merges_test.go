package graph_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// day is a time on the given day of January 2020.
func day(d int) time.Time { return time.Date(2020, 1, d, 0, 0, 0, 0, time.UTC) }

// profileID returns the id of the live profile holding s ("type:value").
func (e *env) profileID(s string) string {
	e.t.Helper()
	p, err := e.store.Profile(e.ctx, e.space.ID, mustID(s))
	if err != nil {
		e.t.Fatalf("profile of %s: %v", s, err)
	}
	return p.ID
}

// walkLog reads every page of a log, size entries a page, and fails the
// test unless each page but the last is full and names the next.
func walkLog[T any](t *testing.T, size int, read func(after *idgraph.LogCursor, limit int) (idgraph.LogPage[T], error)) []T {
	t.Helper()
	var all []T
	var after *idgraph.LogCursor
	for pages := 0; ; pages++ {
		page, err := read(after, size)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Entries...)
		if page.Next == nil {
			return all
		}
		if len(page.Entries) != size || pages > 100 {
			t.Fatalf("page %d holds %d entries and names a next page; want %d", pages, len(page.Entries), size)
		}
		after = page.Next
	}
}

// TestMergeLog merges three profiles into a fourth, two of them by one event,
// and reads the space's merges newest first: each with the profiles, the
// event and the identifiers it carried; a page at a time; between two
// times. Another space's merges stay out of it.
func TestMergeLog(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"track","event":"Viewed","messageId":"m2","anonymousId":"a2","timestamp":"2020-01-02T00:00:00Z"}`,
		`{"type":"track","event":"Viewed","messageId":"m3","anonymousId":"a3","context":{"device":{"id":"d3","type":"ios"}},"timestamp":"2020-01-03T00:00:00Z"}`,
		`{"type":"page","name":"Home","messageId":"m4","anonymousId":"a4","timestamp":"2020-01-04T00:00:00Z"}`,
	)
	p1, p2, p3, p4 := e.profileID("user_id:u1"), e.profileID("anonymous_id:a2"), e.profileID("anonymous_id:a3"), e.profileID("anonymous_id:a4")
	e.resolve(segruns,
		`{"type":"identify","messageId":"m5","userId":"u1","anonymousId":"a2","timestamp":"2020-01-05T00:00:00Z"}`,
		`{"type":"track","event":"Ordered","messageId":"m6","userId":"u1","anonymousId":"a4","context":{"device":{"id":"d3","type":"ios"}},"timestamp":"2020-01-06T00:00:00Z"}`,
	)
	other := newEnv(t, idgraph.DefaultRules())
	other.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"u1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"page","messageId":"m2","anonymousId":"a1","timestamp":"2020-01-02T00:00:00Z"}`,
		`{"type":"identify","messageId":"m3","userId":"u1","anonymousId":"a1","timestamp":"2020-01-07T00:00:00Z"}`,
	)

	ids := func(ss ...string) []idgraph.Identifier {
		out := make([]idgraph.Identifier, len(ss))
		for i, s := range ss {
			out[i] = mustID(s)
		}
		return out
	}
	m6 := &idgraph.EventRef{MessageID: "m6", Type: "track", Event: "Ordered", SourceID: "segruns", Timestamp: day(6)}
	byM6 := func(merged string) idgraph.MergeEntry {
		return idgraph.MergeEntry{At: day(6), ProfileID: p1, MergedProfileID: merged, MessageID: "m6", SourceID: "segruns", Event: m6,
			Identifiers: ids("anonymous_id:a4", "ios.id:d3", "user_id:u1")}
	}
	first, second := byM6(p3), byM6(p4)
	if p4 > p3 {
		first, second = second, first
	}
	want := []idgraph.MergeEntry{first, second, {
		At: day(5), ProfileID: p1, MergedProfileID: p2, MessageID: "m5", SourceID: "segruns",
		Event:       &idgraph.EventRef{MessageID: "m5", Type: "identify", SourceID: "segruns", Timestamp: day(5)},
		Identifiers: ids("anonymous_id:a2", "user_id:u1"),
	}}
	merges := func(q idgraph.LogQuery) func(*idgraph.LogCursor, int) (idgraph.LogPage[idgraph.MergeEntry], error) {
		return func(after *idgraph.LogCursor, limit int) (idgraph.LogPage[idgraph.MergeEntry], error) {
			q.After, q.Limit = after, limit
			return e.store.Merges(e.ctx, e.space.ID, q)
		}
	}
	for _, size := range []int{1, 2, 100} {
		if got := walkLog(t, size, merges(idgraph.LogQuery{})); !reflect.DeepEqual(got, want) {
			t.Errorf("merges, %d a page:\n got %+v\nwant %+v", size, got, want)
		}
	}
	// Since is inclusive, until exclusive, in any zone.
	local := func(d int) time.Time { return day(d).In(time.Local) }
	for _, tt := range []struct {
		q    idgraph.LogQuery
		want []idgraph.MergeEntry
	}{
		{idgraph.LogQuery{Since: local(6)}, want[:2]},
		{idgraph.LogQuery{Until: local(6)}, want[2:]},
		{idgraph.LogQuery{Since: local(5), Until: day(6).Add(time.Nanosecond)}, want},
		{idgraph.LogQuery{Since: local(7)}, nil},
	} {
		if got := walkLog(t, 1, merges(tt.q)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("merges since %v until %v:\n got %+v\nwant %+v", tt.q.Since, tt.q.Until, got, tt.want)
		}
	}
	page, err := other.store.Merges(e.ctx, other.space.ID, idgraph.LogQuery{})
	if err != nil || len(page.Entries) != 1 || page.Entries[0].MessageID != "m3" {
		t.Errorf("the other space's merges = %+v, %v; want its own one", page.Entries, err)
	}
}

// TestMergeLogOfARebuild: a merge that rebuild made cites no event.
func TestMergeLogOfARebuild(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`)
	p1 := e.profileID("user_id:u1")
	// Break it: move a1 into a profile of its own, which rebuild retires.
	if _, err := e.db.Query(e.ctx, "break", `
		MATCH (i:Identifier {space: $space, type: 'anonymous_id'})-[r:IN_PROFILE]->()
		DELETE r
		CREATE (i)-[:IN_PROFILE]->(:Profile {id: $id, space: $space, created_at: datetime(), updated_at: datetime(),
		        merge_count: 0, identifier_count: 1, traits: '{}'})`,
		map[string]any{"space": e.space.ID, "id": "prf_broken_" + e.space.ID}); err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	if _, err := e.store.Rebuild(e.ctx, e.space, nil); err != nil {
		t.Fatal(err)
	}
	page, err := e.store.Merges(e.ctx, e.space.ID, idgraph.LogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 1 {
		t.Fatalf("merges after rebuild = %+v, want one", page.Entries)
	}
	got := page.Entries[0]
	if got.ProfileID != p1 || got.MergedProfileID != "prf_broken_"+e.space.ID || got.MessageID != "rebuild" || got.SourceID != "rebuild" ||
		got.Event != nil || len(got.Identifiers) != 0 || got.At.Before(before.Add(-time.Minute)) {
		t.Errorf("rebuild's merge = %+v, want prf_broken into %s citing rebuild, no event, now", got, p1)
	}
}
