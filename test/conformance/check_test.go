package conformance

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph/internal/graphtest"
)

// idgraph corrects a client's clock as Segment does: the stored timestamp is
// receivedAt - (sentAt - timestamp as sent). A stored time is therefore the
// story's time plus the time the request took to arrive, or, for a client
// that keeps its first attempt's sentAt when it retries, plus the retries.
// checkPerson allows a drift in [0, maxDrift) and returns the largest seen.

// checkPerson checks, through the Profile API, that p's events sent in run
// made exactly one profile with exactly p's identifiers, traits and events.
func checkPerson(t *testing.T, s *server, p person, run string, maxDrift time.Duration) (drift time.Duration) {
	t.Helper()
	byID := map[string]storyEvent{}
	for _, e := range p.events {
		byID[run+"-"+e.messageID()] = e
	}
	within := func(what string, got, want time.Time) {
		t.Helper()
		d := got.Sub(want)
		if d < 0 || d >= maxDrift {
			t.Errorf("%s %s: %s, want %s (+ less than %s)", p.name, what, got.Format(time.RFC3339Nano), want.Format(time.RFC3339), maxDrift)
		}
		drift = max(drift, d)
	}

	// external_ids: every identifier, each first seen in the event the story says.
	var ext struct {
		Data []struct {
			ID, Type       string
			SourceID       string    `json:"source_id"`
			FirstMessageID string    `json:"first_message_id"`
			CreatedAt      time.Time `json:"created_at"`
		}
	}
	s.profile(p.identifiers[0], "external_ids?limit=100", &ext)
	var ids []string
	for _, x := range ext.Data {
		id := x.Type + ":" + x.ID
		ids = append(ids, id)
		first := byID[run+"-"+p.firstSeen[id]]
		if x.FirstMessageID != run+"-"+p.firstSeen[id] || x.SourceID != first.source {
			t.Errorf("%s %s first seen in %s from %s, want %s-%s from %s", p.name, id, x.FirstMessageID, x.SourceID, run, p.firstSeen[id], first.source)
		} else {
			within(id+" created_at", x.CreatedAt, first.timestamp())
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, p.identifiers) {
		t.Errorf("%s external_ids:\n got %v\nwant %v", p.name, ids, p.identifiers)
	}

	// metadata: each identifier leads to the same profile.
	var meta struct {
		Metadata struct {
			ProfileID   string `json:"profile_id"`
			Identifiers int    `json:"identifier_count"`
		}
	}
	profile := ""
	for _, id := range p.identifiers {
		s.profile(id, "metadata", &meta)
		if profile == "" {
			profile = meta.Metadata.ProfileID
		}
		if meta.Metadata.ProfileID != profile || meta.Metadata.Identifiers != len(p.identifiers) {
			t.Errorf("%s metadata of %s: got %+v, want profile %s with %d identifiers", p.name, id, meta.Metadata, profile, len(p.identifiers))
		}
	}

	// traits, exactly.
	var traits struct{ Traits map[string]any }
	s.profile(p.identifiers[0], "traits?limit=100", &traits)
	if !reflect.DeepEqual(traits.Traits, p.traits) {
		t.Errorf("%s traits:\n got %v\nwant %v", p.name, traits.Traits, p.traits)
	}

	// events: every one once, oldest first, as sent.
	var events struct {
		Data []struct {
			MessageID   string         `json:"message_id"`
			Type        string         `json:"type"`
			Event       string         `json:"event"`
			Name        string         `json:"name"`
			SourceID    string         `json:"source_id"`
			UserID      string         `json:"user_id"`
			AnonymousID string         `json:"anonymous_id"`
			Timestamp   time.Time      `json:"timestamp"`
			Properties  map[string]any `json:"properties"`
			Traits      map[string]any `json:"traits"`
		}
	}
	s.profile(p.identifiers[0], "events?limit=100&sort=asc", &events)
	var got, want []string
	for _, e := range p.events {
		want = append(want, run+"-"+e.messageID())
	}
	for _, g := range events.Data {
		got = append(got, g.MessageID)
		e, ok := byID[g.MessageID]
		if !ok {
			continue
		}
		str := func(k string) string { v, _ := e.msg[k].(string); return v }
		obj := func(k string) map[string]any { v, _ := e.msg[k].(map[string]any); return v }
		if g.Type != str("type") || g.Event != str("event") || g.Name != str("name") || g.SourceID != e.source ||
			g.UserID != str("userId") || g.AnonymousID != str("anonymousId") {
			t.Errorf("%s event %s: got %s %q %q from %s, user %q, anonymous %q; want %s %q %q from %s, user %q, anonymous %q",
				p.name, g.MessageID, g.Type, g.Event, g.Name, g.SourceID, g.UserID, g.AnonymousID,
				str("type"), str("event"), str("name"), e.source, str("userId"), str("anonymousId"))
		}
		if !reflect.DeepEqual(g.Properties, obj("properties")) || !reflect.DeepEqual(g.Traits, obj("traits")) {
			t.Errorf("%s event %s:\n got properties %v, traits %v\nwant properties %v, traits %v",
				p.name, g.MessageID, g.Properties, g.Traits, obj("properties"), obj("traits"))
		}
		within("event "+g.MessageID+" timestamp", g.Timestamp, e.timestamp())
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s events, oldest first:\n got %v\nwant %v", p.name, got, want)
	}
	return drift
}

// checkStored checks that the space holds exactly one event for each of
// want's message ids and no other: nothing lost, nothing stored twice.
func checkStored(t *testing.T, s *server, want []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := graphtest.Open(t).Query(ctx, "count events",
		`MATCH (e:Event {space: $space}) RETURN e.message_id AS id, count(*) AS n`, map[string]any{"space": s.space})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int64{}
	for _, r := range res.Records {
		id, _, err1 := neo4j.GetRecordValue[string](r, "id")
		n, _, err2 := neo4j.GetRecordValue[int64](r, "n")
		if err1 != nil || err2 != nil {
			t.Fatalf("count events: %v %v", err1, err2)
		}
		stored[id] = n
	}
	wanted := map[string]int64{}
	for _, id := range want {
		wanted[id] = 1
	}
	if !maps.Equal(stored, wanted) {
		var diff []string
		for id, n := range stored {
			if n != wanted[id] {
				diff = append(diff, fmt.Sprintf("%s stored %d times", id, n))
			}
		}
		for id := range wanted {
			if stored[id] == 0 {
				diff = append(diff, id+" not stored")
			}
		}
		slices.Sort(diff)
		t.Errorf("events in the space: %v", diff)
	}
}

// messageIDs lists the message ids events carry when sent in run.
func messageIDs(run string, events []storyEvent) []string {
	var ids []string
	for _, e := range events {
		ids = append(ids, run+"-"+e.messageID())
	}
	return ids
}
