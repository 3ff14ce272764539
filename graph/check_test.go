package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

func TestCheckFindsBrokenMembershipAndRebuildRepairs(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		e.loadSeed(f)
	}
	e.mustCheck()
	want := e.profileOf("user_id:abc123def")

	// Break it: move the Android device into a profile of its own.
	if _, err := e.db.Query(e.ctx, "break", `
		MATCH (i:Identifier {space: $space, type: 'android.id'})-[r:IN_PROFILE]->()
		DELETE r
		CREATE (i)-[:IN_PROFILE]->(:Profile {id: 'prf_broken', space: $space, created_at: datetime(), updated_at: datetime(),
		        merge_count: 0, identifier_count: 1, traits: '{}'})`,
		map[string]any{"space": e.space.ID}); err != nil {
		t.Fatal(err)
	}
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := e.lastChangeSeq()
	var kinds []string
	for _, v := range rep.Violations {
		kinds = append(kinds, v.Kind)
	}
	slices.Sort(kinds)
	if want := []string{"split_component"}; !slices.Equal(kinds, want) {
		t.Fatalf("check violations: got %v (%+v), want %v", kinds, rep.Violations, want)
	}
	if !strings.Contains(rep.Violations[0].Detail, "prf_broken") {
		t.Errorf("violations should name the broken profile: %+v", rep.Violations)
	}

	var stages []string
	reb, err := e.store.Rebuild(e.ctx, e.space, func(p idgraph.Progress) { stages = append(stages, p.Stage) })
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) == 0 {
		t.Error("rebuild reported no progress")
	}
	if reb.Moved != 1 || reb.Removed != 1 || reb.Created != 0 {
		t.Errorf("rebuild: got %+v, want 1 identifier moved, 1 profile removed, none created", reb)
	}
	if got := e.profileOf("android.id:and_1a2b3c4d"); !slices.Equal(got, want) {
		t.Errorf("after rebuild: got %v, want %v", got, want)
	}
	e.mustCheck()
	// The feed says it: the device joined the profile, prf_broken retired into it.
	changes, err := e.store.Changes(e.ctx, e.space.ID, before, 100)
	if err != nil {
		t.Fatal(err)
	}
	pid := e.profileIDOf("user_id:abc123def")
	var feed []string
	for _, c := range changes {
		line := c.Kind + " " + c.ProfileID
		if c.Identifier != nil {
			line += " " + c.Identifier.String()
		}
		if c.From != "" {
			line += " from " + c.From
		}
		if c.Evidence.Actor != idgraph.RebuildActor || c.Evidence.Reason != idgraph.RebuildReason {
			t.Errorf("change %+v: evidence %+v, want the rebuild's", c, c.Evidence)
		}
		feed = append(feed, line)
	}
	if want := []string{"identifier.added " + pid + " android.id:and_1a2b3c4d", "profile.merged " + pid + " from prf_broken"}; !slices.Equal(feed, want) {
		t.Errorf("feed after rebuild = %q, want %q", feed, want)
	}

	// A second rebuild on a healthy graph changes nothing.
	reb, err = e.store.Rebuild(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	if reb.Moved != 0 || reb.Removed != 0 || reb.Created != 0 || reb.Kept != 0 {
		t.Errorf("second rebuild: got %+v, want no change", reb)
	}
	if seq := e.lastChangeSeq(); seq != before+2 {
		t.Errorf("the feed is at %d after a rebuild that changed nothing, want %d", seq, before+2)
	}
}

func TestCheckFindsRejectedPairAndLimit(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules().SegmentCompatible())
	e.resolve(segkicks, `{"type":"identify","messageId":"m1","anonymousId":"a1","userId":"u1","timestamp":"2020-01-01T00:00:00Z"}`)
	e.resolve(segkicks, `{"type":"identify","messageId":"m2","anonymousId":"a1","userId":"u2","timestamp":"2020-01-01T01:00:00Z"}`)
	e.mustCheck()
	// Force u2 into a1's profile behind the rules' back.
	if _, err := e.db.Query(e.ctx, "break", `
		MATCH (u:Identifier {space: $space, type: 'user_id', value: 'u2'})-[r:IN_PROFILE]->()
		MATCH (:Identifier {space: $space, type: 'user_id', value: 'u1'})-[:IN_PROFILE]->(p)
		DELETE r CREATE (u)-[:IN_PROFILE]->(p)`, map[string]any{"space": e.space.ID}); err != nil {
		t.Fatal(err)
	}
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, v := range rep.Violations {
		kinds = append(kinds, v.Kind)
	}
	for _, want := range []string{"rejected_pair", "limit", "split_profile"} {
		if !slices.Contains(kinds, want) {
			t.Errorf("check should report %s; got %+v", want, rep.Violations)
		}
	}
}

// TestCheckAndRebuildHoldDecisions breaks the decisions by hand (a never
// pair in one profile, an always pair apart): check reports both, and
// rebuild cuts the never pair apart.
func TestCheckAndRebuildHoldDecisions(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m2","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:01:00Z"}`,
		`{"type":"track","event":"x","messageId":"m3","anonymousId":"a1","context":{"device":{"id":"d1","type":"ios"}},"timestamp":"2020-01-01T00:02:00Z"}`,
		`{"type":"identify","messageId":"m4","userId":"u2","timestamp":"2020-01-01T00:03:00Z"}`,
	)
	e.mustCheck()
	if _, err := e.db.Query(e.ctx, "break", `
		MATCH (u:Identifier {space: $space, type: 'user_id', value: 'u1'}), (d:Identifier {space: $space, type: 'ios.id', value: 'd1'}),
		      (u2:Identifier {space: $space, type: 'user_id', value: 'u2'})
		SET u:Decided, d:Decided, u2:Decided
		CREATE (d)-[:LINK_DECISION {id: 'lnk_never', decision: 'never', reason: '', actor: 'hand', at: datetime()}]->(u)
		CREATE (u)-[:LINK_DECISION {id: 'lnk_always', decision: 'always', reason: '', actor: 'hand', at: datetime()}]->(u2)`,
		map[string]any{"space": e.space.ID}); err != nil {
		t.Fatal(err)
	}
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range rep.Violations {
		got = append(got, v.Kind+" "+v.Detail)
	}
	slices.Sort(got)
	if len(got) != 2 || !strings.HasPrefix(got[0], "always_apart") || !strings.Contains(got[0], "lnk_always") ||
		!strings.HasPrefix(got[1], "never_together") || !strings.Contains(got[1], "lnk_never") {
		t.Fatalf("check = %v, want always_apart and never_together naming the decisions", got)
	}

	reb, err := e.store.Rebuild(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	if reb.Cut != 1 {
		t.Errorf("rebuild cut %d links, want 1 (the one-event a1-d1 link)", reb.Cut)
	}
	if got := e.profileOf("ios.id:d1"); !slices.Equal(got, []string{"ios.id:d1"}) {
		t.Errorf("after rebuild the device's profile is %v, want it alone", got)
	}
	rep, err = e.store.Check(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Violations) != 1 || rep.Violations[0].Kind != "always_apart" {
		t.Errorf("after rebuild: %+v, want only the always pair, which no link joins", rep.Violations)
	}
}

// TestCheckFindsASharedIdentifierThatJoins resolves the family-iPad story,
// whose iPad is marked shared and left alone: check is clean. Then the
// iPad is glued back to the parent behind the rules' back, and check names
// it as a shared identifier that joins.
func TestCheckFindsASharedIdentifierThatJoins(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, graphtest.FamilyIPad...)
	e.mustCheck()
	if _, err := e.db.Query(e.ctx, "break", `
		MATCH (d:Identifier:Shared {space: $space, type: 'ios.id', value: 'ipad-1'})-[r:IN_PROFILE]->(own:Profile)
		MATCH (:Identifier {space: $space, type: 'user_id', value: 'mom'})-[:IN_PROFILE]->(p:Profile)
		DELETE r DETACH DELETE own
		CREATE (d)-[:IN_PROFILE]->(p)
		WITH d
		MATCH (m:Identifier {space: $space, type: 'user_id', value: 'mom'})
		CREATE (d)-[:OBSERVED_WITH {first_seen: datetime(), last_seen: datetime(), count: 1}]->(m)`,
		map[string]any{"space": e.space.ID}); err != nil {
		t.Fatal(err)
	}
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	var found []idgraph.Violation
	for _, v := range rep.Violations {
		if v.Kind == "shared_joins" {
			found = append(found, v)
		}
	}
	if len(found) != 1 || !strings.Contains(found[0].Detail, "ios.id:ipad-1 is shared (two_users)") ||
		!strings.Contains(found[0].Detail, "1 observed-together links") || !strings.Contains(found[0].Detail, "with 3 other identifiers") {
		t.Fatalf("check = %+v, want one shared_joins naming the iPad, its link and the parent's 3 identifiers", rep.Violations)
	}
}

// profileIDOf returns the id of the profile holding s ("type:value").
func (e *env) profileIDOf(s string) string {
	e.t.Helper()
	p, err := e.store.Profile(e.ctx, e.space.ID, mustID(s))
	if err != nil {
		e.t.Fatalf("profile of %s: %v", s, err)
	}
	return p.ID
}

// lastChangeSeq returns the number of the space's last change, 0 for none.
func (e *env) lastChangeSeq() int64 {
	e.t.Helper()
	changes, err := e.store.Changes(e.ctx, e.space.ID, 0, 10000)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(changes) == 0 {
		return 0
	}
	return changes[len(changes)-1].Seq
}
