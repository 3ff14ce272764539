package graph_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// TestEventPagesStayFlat holds a page of a profile's events, and its
// metadata, to the same cost (Neo4j's database hits under PROFILE) when the
// profile's history grows tenfold: each member's events are read from the
// time index, at most a page of them, not every event of every member.
func TestEventPagesStayFlat(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	id := idgraph.Identifier{Type: "user_id", Value: "kiosk-regular"}
	sent := 0
	grow := func(to int) {
		t.Helper()
		for sent < to {
			var events []idgraph.Event
			for ; sent < to && len(events) < 500; sent++ {
				// Five members (the user and four anonymous ids); two events share
				// each second, so the message id breaks ties.
				at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(sent/2) * time.Second)
				line := fmt.Sprintf(`{"type":"track","event":"e%d","messageId":"m%06d","userId":"kiosk-regular","anonymousId":"anon%d","timestamp":%q}`,
					sent%3, sent, sent%4, at.Format(time.RFC3339))
				ev, err := idgraph.ParseEvent([]byte(line), time.Now())
				if err != nil {
					t.Fatal(err)
				}
				events = append(events, ev)
			}
			if _, err := e.store.Resolve(e.ctx, e.space, segkicks, events); err != nil {
				t.Fatal(err)
			}
		}
	}
	pages := []struct {
		name     string
		q        idgraph.EventQuery
		metadata bool
	}{
		{"newest 50", idgraph.EventQuery{Limit: 50}, false},
		{"oldest 50", idgraph.EventQuery{Limit: 50, Oldest: true}, false},
		{"newest 50 of one name", idgraph.EventQuery{Limit: 50, Include: []string{"e1"}}, false},
		{"newest 50 after a cursor", idgraph.EventQuery{Limit: 50, After: &idgraph.EventCursor{
			Timestamp: time.Date(2020, 1, 1, 0, 1, 40, 0, time.UTC), MessageID: "m000201"}}, false},
		{"metadata", idgraph.EventQuery{}, true},
	}
	hits := func() []int64 {
		t.Helper()
		out := make([]int64, len(pages))
		for i, p := range pages {
			n, err := e.store.PageHits(e.ctx, e.space.ID, id, p.q, p.metadata)
			if err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			out[i] = n
		}
		return out
	}
	grow(1000)
	small := hits()
	grow(10000)
	large := hits()
	for i, p := range pages {
		t.Logf("%s: %d db hits at 1,000 events, %d at 10,000", p.name, small[i], large[i])
		// Flat, give or take the index's depth and the members' relationship
		// chains (the profile's IN_PROFILE count does not change).
		if large[i] > small[i]*3/2+100 {
			t.Errorf("%s: %d db hits at 10,000 events against %d at 1,000: the page's cost grows with the history", p.name, large[i], small[i])
		}
	}
	got, err := e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ev := range got {
		ids = append(ids, ev.MessageID)
	}
	if want := []string{"m009999", "m009998", "m009997"}; fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("newest 3: got %v, want %v", ids, want)
	}
}
