package memstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/memstore"
)

var (
	space = idgraph.Space{ID: "s", Rules: idgraph.DefaultRules()}
	web   = idgraph.Source{ID: "web"}
	app   = idgraph.Source{ID: "app"}
	t0    = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
)

// event is an identify (or, without a user id, a track) at minute m.
func event(msgID, userID, anonID string, m int) idgraph.Event {
	typ := idgraph.EventIdentify
	if userID == "" {
		typ = idgraph.EventTrack
	}
	return idgraph.Event{Type: typ, Event: "x", MessageID: msgID, UserID: userID, AnonymousID: anonID, Timestamp: t0.Add(time.Duration(m) * time.Minute)}
}

func resolve(t *testing.T, s *memstore.Store, source idgraph.Source, events ...idgraph.Event) idgraph.BatchResult {
	t.Helper()
	res, err := s.Resolve(context.Background(), space, source, events)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return res
}

func TestResolveSkipsMessagesItHasSeenFromTheSource(t *testing.T) {
	s := memstore.New()
	got := resolve(t, s, web, event("m1", "", "a1", 0), event("m2", "", "a1", 1), event("m1", "", "a1", 2))
	if want := (idgraph.BatchResult{Loaded: 2, Duplicates: 1, Profiles: 1}); got != want {
		t.Errorf("first batch: got %+v, want %+v", got, want)
	}
	got = resolve(t, s, web, event("m2", "", "a1", 1), event("m3", "", "a1", 3))
	if want := (idgraph.BatchResult{Loaded: 1, Duplicates: 1}); got != want {
		t.Errorf("replayed m2: got %+v, want %+v", got, want)
	}
	got = resolve(t, s, app, event("m1", "", "a1", 4))
	if want := (idgraph.BatchResult{Loaded: 1}); got != want {
		t.Errorf("m1 from another source: got %+v, want %+v (a message id is unique per source)", got, want)
	}
}

func TestResolveJoinsMergesAndRejectsByTheRules(t *testing.T) {
	s := memstore.New()
	resolve(t, s, web, event("m1", "", "a1", 0))
	resolve(t, s, app, event("m2", "", "a2", 1))
	got := resolve(t, s, web, event("m3", "u1", "a1", 2), event("m4", "u1", "a2", 3))
	if want := (idgraph.BatchResult{Loaded: 2, Merges: 1}); got != want {
		t.Errorf("login on both: got %+v, want %+v", got, want)
	}
	p, err := s.Profile(context.Background(), space.ID, idgraph.Identifier{Type: idgraph.TypeAnonymousID, Value: "a2"})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "prf_1" || len(p.Identifiers) != 3 || p.MergeCount != 1 {
		t.Errorf("profile of a2: id %s, %d identifiers, %d merges; want prf_1 (the oldest survives), 3, 1", p.ID, len(p.Identifiers), p.MergeCount)
	}

	// A second user id cannot join u1's profile (user_id limit 1).
	got = resolve(t, s, web, event("m5", "u2", "a1", 4))
	if want := (idgraph.BatchResult{Loaded: 1, Rejections: 1, Profiles: 1}); got != want {
		t.Errorf("second user on a1: got %+v, want %+v", got, want)
	}
	owners := s.Memberships(space.ID)
	a1, u1, u2 := owners[idgraph.Identifier{Type: idgraph.TypeAnonymousID, Value: "a1"}], owners[idgraph.Identifier{Type: idgraph.TypeUserID, Value: "u1"}], owners[idgraph.Identifier{Type: idgraph.TypeUserID, Value: "u2"}]
	if len(owners) != 4 || a1 != u1 || u2 == u1 || u2 == "" {
		t.Errorf("memberships %v: want a1, a2, u1 in one profile and u2 in another", owners)
	}
}

func TestProfileOfAnUnknownIdentifierIsNotFound(t *testing.T) {
	s := memstore.New()
	resolve(t, s, web, event("m1", "", "a1", 0))
	_, err := s.Profile(context.Background(), space.ID, idgraph.Identifier{Type: idgraph.TypeAnonymousID, Value: "a9"})
	if idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("got %v, want ENOTFOUND", err)
	}
	if n := len(s.Memberships("other")); n != 0 {
		t.Errorf("another space holds %d identifiers, want 0: spaces are separate", n)
	}
}

func TestResolveAfterTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := memstore.New().Resolve(ctx, space, web, []idgraph.Event{event("m1", "", "a1", 0)})
	if idgraph.ErrorCode(err) != idgraph.EUNAVAILABLE {
		t.Errorf("got %v, want EUNAVAILABLE", err)
	}
}

func TestProfileIDsFollowCreationOrder(t *testing.T) {
	s := memstore.New()
	for i := range 3 {
		resolve(t, s, web, event(fmt.Sprint("m", i), "", fmt.Sprint("a", i), i))
	}
	owners := s.Memberships(space.ID)
	for i := range 3 {
		id := idgraph.Identifier{Type: idgraph.TypeAnonymousID, Value: fmt.Sprint("a", i)}
		if got, want := owners[id], fmt.Sprint("prf_", i+1); got != want {
			t.Errorf("profile of %s: got %s, want %s", id, got, want)
		}
	}
}
