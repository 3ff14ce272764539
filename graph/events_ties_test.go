package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// TestEventPagesBreakTiesAcrossMembers pages through a profile whose
// members carried many events at the same second, so that a page ends
// inside a group of events at one time, spread over members, and each
// member's own newest events are cut inside such groups: every page, both
// ways and with a name filter, holds what sorting all the events by
// (timestamp, message id) gives, and the pages walk the whole timeline.
func TestEventPagesBreakTiesAcrossMembers(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	base := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	type sent struct {
		id, name string
		at       time.Time
	}
	var all []sent
	var events []idgraph.Event
	for k := range 60 {
		// Five events each second; message ids out of step with the
		// order sent, so the message id and not arrival breaks ties.
		s := sent{id: fmt.Sprintf("tie%03d", (k*37)%60), name: fmt.Sprintf("e%d", k%2), at: base.Add(time.Duration(k/5) * time.Second)}
		all = append(all, s)
		user := ""
		if k < 4 || k%3 == 0 { // the first four join the anonymous ids to the user
			user = `"userId":"tie-user",`
		}
		line := fmt.Sprintf(`{"type":"track","event":%q,"messageId":%q,%s"anonymousId":"tie-anon%d","timestamp":%q}`,
			s.name, s.id, user, k%4, s.at.Format(time.RFC3339))
		ev, err := idgraph.ParseEvent([]byte(line), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, ev)
	}
	if _, err := e.store.Resolve(e.ctx, e.space, segkicks, events); err != nil {
		t.Fatal(err)
	}
	id := idgraph.Identifier{Type: "user_id", Value: "tie-user"}
	for _, oldest := range []bool{false, true} {
		for _, include := range [][]string{nil, {"e1"}} {
			var want []string
			order := slices.Clone(all)
			slices.SortFunc(order, func(a, b sent) int {
				c := a.at.Compare(b.at)
				if c == 0 {
					c = strings.Compare(a.id, b.id)
				}
				if !oldest {
					c = -c
				}
				return c
			})
			for _, s := range order {
				if include == nil || slices.Contains(include, s.name) {
					want = append(want, s.id)
				}
			}
			for _, limit := range []int{1, 3, 4, 7, 50} {
				name := fmt.Sprintf("oldest %v, include %v, limit %d", oldest, include, limit)
				var walked []string
				var after *idgraph.EventCursor
				for range len(want) + 1 {
					page, err := e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{Limit: limit, Oldest: oldest, Include: include, After: after})
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if len(page) == 0 {
						break
					}
					got := messageIDs(page)
					if start := len(walked); start+len(got) > len(want) || !slices.Equal(got, want[start:start+len(got)]) {
						t.Fatalf("%s: page %v after %d events, want the next of %v", name, got, start, want)
					}
					if len(page) > limit {
						t.Fatalf("%s: page of %d events, want at most %d", name, len(page), limit)
					}
					walked = append(walked, got...)
					last := page[len(page)-1]
					after = &idgraph.EventCursor{Timestamp: last.Timestamp, MessageID: last.MessageID}
				}
				if !slices.Equal(walked, want) {
					t.Errorf("%s: walked %v, want %v", name, walked, want)
				}
			}
		}
	}
}
