package graph_test

import (
	"slices"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// kidPlays is an event after the family iPad story: the child, logged in,
// plays on the iPad again.
const kidPlays = `{"type":"track","event":"Game Played","messageId":"kid-4","userId":"kid","anonymousId":"a-kid","context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2020-01-02T16:30:00Z"}`

// TestRehomingPassReadsNothingAgain: the parent's profile holds the child's
// anonymous id through the iPad; a batch with the child's login (which
// shows the iPad shared) and a later event of the child re-homes the
// anonymous id into a profile of its own and resolves the batch again from
// what the first pass read, as the split left it: the identifiers are
// touched, and the profiles locked and read, once. The profiles, their
// traits and counts are those of the same events sent one at a time, and
// check is clean.
func TestRehomingPassReadsNothingAgain(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, graphtest.FamilyIPad[:4]...)
	var events []idgraph.Event
	for _, l := range []string{graphtest.FamilyIPad[4], kidPlays} {
		ev, err := idgraph.ParseEvent([]byte(l), time.Date(2019, 11, 20, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, ev)
	}
	st := &statementCount{}
	if _, err := e.store.ResolveThrough(e.ctx, e.space, segkicks, events, st.run); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{"merge_identifiers": 1, "lock_profiles": 1, "find_profile_decisions": 1, "mark_shared": 1} {
		if got := st.stmts[name]; got != want {
			t.Errorf("%s ran %d times, want %d", name, got, want)
		}
	}
	if got := e.profileOf("user_id:mom"); !slices.Equal(got, graphtest.MomProfile) {
		t.Errorf("parent's profile %v, want %v", got, graphtest.MomProfile)
	}
	if got := e.profileOf("user_id:kid"); !slices.Equal(got, graphtest.KidProfile) {
		t.Errorf("child's profile %v, want %v", got, graphtest.KidProfile)
	}
	e.mustCheck()

	one := newEnv(t, idgraph.DefaultRules())
	for _, l := range append(slices.Clone(graphtest.FamilyIPad), kidPlays) {
		one.resolve(segkicks, l)
	}
	for _, id := range []string{"user_id:mom", "user_id:kid", "ios.id:ipad-1"} {
		got, err := e.store.Profile(e.ctx, e.space.ID, mustID(id))
		want, werr := one.store.Profile(one.ctx, one.space.ID, mustID(id))
		if idgraph.ErrorCode(err) != idgraph.ErrorCode(werr) {
			t.Fatalf("profile of %s: %v, one event at a time %v", id, err, werr)
		}
		if err != nil {
			continue
		}
		if got.MergeCount != want.MergeCount || len(got.Identifiers) != len(want.Identifiers) || got.Traits["email"] != want.Traits["email"] {
			t.Errorf("profile of %s: merge count %d, %d identifiers, traits %v; one event at a time %d, %d, %v",
				id, got.MergeCount, len(got.Identifiers), got.Traits, want.MergeCount, len(want.Identifiers), want.Traits)
		}
	}
	if got, want := e.counts(), one.counts(); got["profiles"] != want["profiles"] || got["memberships"] != want["memberships"] || got["edges"] != want["edges"] {
		t.Errorf("counts %v, one event at a time %v", got, want)
	}
}
