package graph_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// seedOrder is the seed story's message ids, newest first.
var seedOrder = []string{
	"segruns-2", "segruns-1", "segkicks-7", "segkicks-6", "segkicks-5",
	"segkicks-4", "segkicks-3", "segkicks-2", "segkicks-1",
}

func messageIDs(events []idgraph.StoredEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.MessageID
	}
	return out
}

func TestEventsNewestFirstWithCursor(t *testing.T) {
	e := seedStory(t)
	id := mustID("ios.id:ios_abc123")
	all, err := e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if got := messageIDs(all); !slices.Equal(got, seedOrder) {
		t.Fatalf("events = %v, want every event of the profile newest first: %v", got, seedOrder)
	}

	// Walk the timeline four at a time with the cursor.
	var walked []string
	var before *idgraph.EventCursor
	for range 10 {
		page, err := e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{Limit: 4, After: before})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 4 {
			t.Fatalf("page of %d events, want at most 4", len(page))
		}
		if len(page) == 0 {
			break
		}
		walked = append(walked, messageIDs(page)...)
		last := page[len(page)-1]
		before = &idgraph.EventCursor{Timestamp: last.Timestamp, MessageID: last.MessageID}
	}
	if !slices.Equal(walked, seedOrder) {
		t.Errorf("paged walk = %v, want %v", walked, seedOrder)
	}

	// Start is inclusive, End exclusive.
	day2 := time.Date(2019, 11, 16, 0, 0, 0, 0, time.UTC)
	got, err := e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{Start: day2})
	if err != nil {
		t.Fatal(err)
	}
	if want := seedOrder[:3]; !slices.Equal(messageIDs(got), want) {
		t.Errorf("events from %s = %v, want %v", day2, messageIDs(got), want)
	}
	got, err = e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{
		Start: time.Date(2019, 11, 15, 9, 5, 0, 0, time.UTC), End: time.Date(2019, 11, 15, 9, 20, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"segkicks-4", "segkicks-3", "segkicks-2"}; !slices.Equal(messageIDs(got), want) {
		t.Errorf("events in [09:05, 09:20) = %v, want %v", messageIDs(got), want)
	}
	got, err = e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{End: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("events before 2000 = %v, %v; want an empty list and no error", got, err)
	}
}

func TestEventsDecodeStoredFields(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"track","event":"Order Completed","messageId":"m1","userId":"u1","anonymousId":"a1",`+
		`"properties":{"total":30,"rate":1.5,"items":[{"sku":"x","qty":2}]},"context":{"app":{"name":"SegKicks"}},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m2","userId":"u1","traits":{"plan":"pro"},"timestamp":"2020-01-02T00:00:00Z"}`,
		`{"type":"page","name":"Home","messageId":"m3","userId":"u1","timestamp":"2020-01-03T00:00:00Z"}`)
	got, err := e.store.Events(e.ctx, e.space.ID, mustID("user_id:u1"), idgraph.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	received := time.Date(2019, 11, 20, 0, 0, 0, 0, time.UTC) // what env.resolve passes
	want := []idgraph.StoredEvent{
		{MessageID: "m3", Type: "page", Name: "Home", SourceID: "segkicks", UserID: "u1",
			Timestamp: time.Date(2020, 1, 3, 0, 0, 0, 0, time.UTC), ReceivedAt: received,
			Identifiers: []string{"user_id:u1"}},
		{MessageID: "m2", Type: "identify", SourceID: "segkicks", UserID: "u1",
			Timestamp: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), ReceivedAt: received,
			Traits: map[string]any{"plan": "pro"}, Identifiers: []string{"user_id:u1"}},
		{MessageID: "m1", Type: "track", Event: "Order Completed", SourceID: "segkicks", UserID: "u1", AnonymousID: "a1",
			Timestamp: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ReceivedAt: received,
			// Properties and context come back as stored: the JSON text, keys sorted.
			Properties:  json.RawMessage(`{"items":[{"qty":2,"sku":"x"}],"rate":1.5,"total":30}`),
			Context:     json.RawMessage(`{"app":{"name":"SegKicks"}}`),
			Identifiers: []string{"user_id:u1", "anonymous_id:a1"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestEventsUnknownIdentifier(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	_, err := e.store.Events(e.ctx, e.space.ID, mustID("user_id:nobody"), idgraph.EventQuery{})
	if code := idgraph.ErrorCode(err); code != idgraph.ENOTFOUND {
		t.Errorf("Events of an unknown identifier: %v (code %q), want %s", err, code, idgraph.ENOTFOUND)
	}
}

// TestEventsOldestFirstAndByName: sort oldest first pages forward with the
// cursor; include and exclude filter by track's event or page's name.
func TestEventsOldestFirstAndByName(t *testing.T) {
	e := seedStory(t)
	id := mustID("ios.id:ios_abc123")
	oldest := slices.Clone(seedOrder)
	slices.Reverse(oldest)
	var walked []string
	var after *idgraph.EventCursor
	for range 20 {
		page, err := e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{Limit: 3, Oldest: true, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		walked = append(walked, messageIDs(page)...)
		last := page[len(page)-1]
		after = &idgraph.EventCursor{Timestamp: last.Timestamp, MessageID: last.MessageID}
	}
	if !slices.Equal(walked, oldest) {
		t.Errorf("oldest first, paged = %v, want %v", walked, oldest)
	}
	all, _ := e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{})
	names := map[string]bool{}
	for _, ev := range all {
		if n := ev.Event + ev.Name; n != "" {
			names[n] = true
		}
	}
	if len(names) < 2 {
		t.Fatalf("the seed story has %d named events, want at least 2", len(names))
	}
	var name string
	for n := range names {
		name = n
		break
	}
	only, err := e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{Include: []string{name}})
	if err != nil || len(only) == 0 {
		t.Fatalf("include %q = %v, %v", name, only, err)
	}
	for _, ev := range only {
		if ev.Event+ev.Name != name {
			t.Errorf("include %q answered %s (%s)", name, ev.MessageID, ev.Event+ev.Name)
		}
	}
	rest, err := e.store.Events(e.ctx, e.space.ID, id, idgraph.EventQuery{Exclude: []string{name}})
	if err != nil || len(rest)+len(only) != len(all) {
		t.Errorf("exclude %q: %d events, include %d, all %d; want them to add up", name, len(rest), len(only), len(all))
	}
}
