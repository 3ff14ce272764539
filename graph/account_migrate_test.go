package graph_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// oldGroupEvents are a company's history as older versions resolved it,
// groupId a user identifier: three visitors and u1 (who also carries a4)
// are glued into one profile through group_id:acme; u2's group call could
// not join them (the user_id limit refused group_id:acme); a5 is alone with
// globex; and a group call whose only user id is blocked left group_id:solo
// in a profile of its own.
var oldGroupEvents = []string{
	`{"type":"group","messageId":"g1","anonymousId":"a1","groupId":"acme","traits":{"name":"Acme","plan":"free"},"timestamp":"2020-01-01T00:00:00Z"}`,
	`{"type":"group","messageId":"g2","anonymousId":"a2","groupId":"acme","timestamp":"2020-01-01T01:00:00Z"}`,
	`{"type":"group","messageId":"g3","anonymousId":"a3","groupId":"acme","traits":{"plan":"pro"},"timestamp":"2020-01-01T02:00:00Z"}`,
	`{"type":"identify","messageId":"i1","userId":"u1","anonymousId":"a4","groupId":"acme","timestamp":"2020-01-01T03:00:00Z"}`,
	`{"type":"group","messageId":"g4","userId":"u2","groupId":"acme","timestamp":"2020-01-01T04:00:00Z"}`,
	`{"type":"group","messageId":"g5","anonymousId":"a5","groupId":"globex","traits":{"name":"Globex"},"timestamp":"2020-01-01T05:00:00Z"}`,
	`{"type":"group","messageId":"g6","anonymousId":"anonymous","groupId":"solo","timestamp":"2020-01-01T06:00:00Z"}`,
}

// oldGraph builds the graph older versions left from oldGroupEvents.
func oldGraph(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, idgraph.DefaultRules())
	var events []idgraph.Event
	for _, l := range oldGroupEvents {
		ev, err := idgraph.ParseEvent([]byte(l), time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, ev)
	}
	if err := e.store.ResolveAsBefore(e.ctx, e.space, segkicks, events); err != nil {
		t.Fatal(err)
	}
	glued := []string{"anonymous_id:a1", "anonymous_id:a2", "anonymous_id:a3", "anonymous_id:a4", "group_id:acme", "user_id:u1"}
	if got := e.profileOf("anonymous_id:a1"); !slices.Equal(got, glued) {
		t.Fatalf("the old way did not glue the company: %v", got)
	}
	return e
}

// TestMigrateAccounts takes the group ids of an old graph out of its user
// profiles: what acme glued falls apart into the people it was, each
// account is made from the events that named it and linked to their
// profiles, every removal is a correction, and check is clean.
func TestMigrateAccounts(t *testing.T) {
	e := oldGraph(t)
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	var flagged []string
	for _, v := range rep.Violations {
		if v.Kind == "group_identifier" {
			flagged = append(flagged, v.Detail[:strings.Index(v.Detail, " ")])
		}
	}
	slices.Sort(flagged)
	if want := []string{"group_id:acme", "group_id:globex", "group_id:solo"}; !slices.Equal(flagged, want) {
		t.Errorf("check before the migration flags %v, want %v (all: %+v)", flagged, want, rep.Violations)
	}

	// A dry run says what it would do and writes nothing.
	before := e.counts()
	var dry []idgraph.AccountMigration
	n, err := e.store.MigrateAccounts(e.ctx, e.space, "tester", true, func(m idgraph.AccountMigration) { dry = append(dry, m) })
	if err != nil || n != 3 {
		t.Fatalf("dry run: %d, %v; want 3 group ids", n, err)
	}
	if dry[0].AccountID != "acme" || dry[0].Removal == nil || len(dry[0].Removal.Parts) != 5 || dry[0].Removal.CorrectionID != "" || len(dry[0].Linked) != 5 {
		t.Errorf("dry run of acme: %+v, want 5 parts (4 people and the group id) and 5 profiles linked, no correction id", dry[0])
	}
	if after := e.counts(); !sameCounts(before, after) || e.count(`MATCH (a:Account {space: $space}) RETURN count(a)`) != 0 {
		t.Fatalf("the dry run wrote: before %v, after %v", before, after)
	}

	var done []idgraph.AccountMigration
	if n, err = e.store.MigrateAccounts(e.ctx, e.space, "tester", false, func(m idgraph.AccountMigration) { done = append(done, m) }); err != nil || n != 3 {
		t.Fatalf("migrate: %d, %v; want 3 group ids", n, err)
	}
	for id, want := range map[string][]string{
		"anonymous_id:a1": {"anonymous_id:a1"},
		"anonymous_id:a2": {"anonymous_id:a2"},
		"anonymous_id:a3": {"anonymous_id:a3"},
		"user_id:u1":      {"anonymous_id:a4", "user_id:u1"},
		"user_id:u2":      {"user_id:u2"},
		"anonymous_id:a5": {"anonymous_id:a5"},
	} {
		if got := e.profileOf(id); !slices.Equal(got, want) {
			t.Errorf("profile of %s after the migration: %v, want %v", id, got, want)
		}
	}
	if n := e.count(`MATCH (i:Identifier {space: $space, type: 'group_id'}) RETURN count(i)`); n != 0 {
		t.Errorf("%d group_id identifiers left, want none", n)
	}
	members := e.membersOf("acme")
	slices.Sort(members)
	if want := []string{"anonymous_id:a1", "anonymous_id:a2", "anonymous_id:a3", "anonymous_id:a4,user_id:u1", "user_id:u2"}; !slices.Equal(members, want) {
		t.Errorf("members of acme %q, want %q", members, want)
	}
	if got := e.membersOf("globex"); !slices.Equal(got, []string{"anonymous_id:a5"}) {
		t.Errorf("members of globex %q, want a5", got)
	}
	if got := e.membersOf("solo"); len(got) != 0 {
		t.Errorf("members of solo %q, want none: its only user id was blocked", got)
	}
	acme, err := e.store.Account(e.ctx, e.space.ID, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := traitValues(acme.Traits), "name=Acme@g1 plan=pro@g3"; got != want {
		t.Errorf("acme's traits %s, want %s", got, want)
	}
	if got := e.corrections(mustID("anonymous_id:a4")); len(got) != 1 || got[0].Kind != idgraph.HistoryIdentifierRemoved ||
		got[0].Actor != "tester" || !strings.Contains(got[0].Reason, "group_id:acme") {
		t.Errorf("the glued profile's corrections: %+v, want one identifier_removed by tester naming group_id:acme", got)
	}
	if done[2].AccountID != "solo" || done[2].Removal != nil || done[2].ProfileID == "" {
		t.Errorf("solo: %+v, want its lone profile deleted without a correction", done[2])
	}
	e.mustCheck()

	// Done once: a second run finds nothing, and new group calls link.
	if n, err := e.store.MigrateAccounts(e.ctx, e.space, "tester", false, nil); err != nil || n != 0 {
		t.Errorf("second run: %d, %v; want nothing to do", n, err)
	}
	e.resolve(segkicks, `{"type":"group","messageId":"g7","anonymousId":"a1","groupId":"globex","timestamp":"2020-01-03T00:00:00Z"}`)
	if got := e.accountsOf("anonymous_id:a1"); !slices.Equal(got, []string{"acme", "globex"}) {
		t.Errorf("accounts of a1: %v, want acme and globex", got)
	}
	e.mustCheck()
}

func sameCounts(a, b map[string]int64) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}
