package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestSharedDeviceRehomed: event by event, the child's anonymous id first
// joins the parent's profile through the iPad; the child's login shows the
// iPad shared, and the parent's profile is split along it: the child's
// anonymous id and its events go to the child, the iPad joins no one and a
// lookup by it names both profiles, history and explain say why, and check
// is clean. In one batch the result is the same; with segment_compatible
// rules the anonymous id stays with the parent, as in Segment.
func TestSharedDeviceRehomed(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	for _, l := range graphtest.FamilyIPad[:4] {
		e.resolve(segkicks, l)
	}
	if got := e.profileOf("anonymous_id:a-kid"); !slices.Contains(got, "user_id:mom") {
		t.Fatalf("before the child logs in, a-kid is in %v: want the parent's profile, through the iPad", got)
	}
	e.resolve(segkicks, graphtest.FamilyIPad[4])
	if got := e.profileOf("user_id:mom"); !slices.Equal(got, graphtest.MomProfile) {
		t.Errorf("parent's profile %v, want %v", got, graphtest.MomProfile)
	}
	if got := e.profileOf("user_id:kid"); !slices.Equal(got, graphtest.KidProfile) {
		t.Errorf("child's profile %v, want %v", got, graphtest.KidProfile)
	}
	_, err := e.store.Profile(e.ctx, e.space.ID, mustID("ios.id:ipad-1"))
	msg := idgraph.ErrorMessage(err)
	if idgraph.ErrorCode(err) != idgraph.ECONFLICT || !strings.Contains(msg, "ios.id:ipad-1 is shared (two users logged in behind it: kid, mom, first in event kid-3)") {
		t.Fatalf("lookup by the iPad: %v, want a conflict saying it is shared", err)
	}
	mom, _ := e.store.Profile(e.ctx, e.space.ID, mustID("user_id:mom"))
	kid, _ := e.store.Profile(e.ctx, e.space.ID, mustID("user_id:kid"))
	for _, p := range []string{mom.ID, kid.ID} {
		if !strings.Contains(msg, p) {
			t.Errorf("lookup by the iPad: %q does not name profile %s", msg, p)
		}
	}

	hist, err := e.store.History(e.ctx, e.space.ID, mustID("user_id:mom"))
	if err != nil {
		t.Fatal(err)
	}
	var split *idgraph.HistoryEntry
	for i, h := range hist {
		if h.Kind == idgraph.HistorySplit {
			split = &hist[i]
		}
	}
	if split == nil || split.Actor != idgraph.SharedActor || !strings.Contains(split.Reason, "ios.id:ipad-1 is shared") {
		t.Errorf("history %+v: want a split by %s saying the iPad is shared", hist, idgraph.SharedActor)
	}

	x, err := e.store.Explain(e.ctx, e.space.ID, mustID("ios.id:ipad-1"), mustID("user_id:mom"))
	if err != nil {
		t.Fatal(err)
	}
	if x.Together || len(x.Shared) != 1 || !strings.Contains(x.Shared[0].Sentence(), "it has not joined identifiers since 2020-01-02T16:20:00Z") {
		t.Errorf("explain iPad / mom: together %v, shared %+v: want apart, the iPad shared since the child's login", x.Together, x.Shared)
	}
	x, err = e.store.Explain(e.ctx, e.space.ID, mustID("anonymous_id:a-kid"), mustID("user_id:mom"))
	if err != nil {
		t.Fatal(err)
	}
	if x.Together || !slices.ContainsFunc(x.Cuts, func(c idgraph.CutRef) bool { return strings.Contains(c.Reason, "ios.id:ipad-1 is shared") }) {
		t.Errorf("explain a-kid / mom: together %v, cuts %+v: want the iPad's link cut because it is shared", x.Together, x.Cuts)
	}
	events, err := e.store.Events(e.ctx, e.space.ID, mustID("user_id:kid"), idgraph.EventQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range events {
		got = append(got, ev.MessageID)
	}
	slices.Sort(got)
	if want := []string{"kid-1", "kid-2", "kid-3"}; !slices.Equal(got, want) {
		t.Errorf("child's events %v, want %v", got, want)
	}
	e.mustCheck()

	one := newEnv(t, idgraph.DefaultRules())
	one.resolve(segkicks, graphtest.FamilyIPad...)
	if got := one.profileOf("user_id:kid"); !slices.Equal(got, graphtest.KidProfile) {
		t.Errorf("in one batch: child's profile %v, want %v", got, graphtest.KidProfile)
	}
	one.mustCheck()

	seg := newEnv(t, idgraph.DefaultRules().SegmentCompatible())
	seg.resolve(segkicks, graphtest.FamilyIPad...)
	if got := seg.profileOf("anonymous_id:a-kid"); !slices.Contains(got, "user_id:mom") {
		t.Errorf("segment_compatible: a-kid is in %v, want the parent's profile", got)
	}
	if n := seg.count(`MATCH (i:Shared {space: $space}) RETURN count(i)`); n != 0 {
		t.Errorf("segment_compatible: %d identifiers marked shared, want none", n)
	}
}

// TestSharedMarkedForAnalysts: the mark is a label with since, reason,
// detail and the event, as cypher/README.md documents.
func TestSharedMarkedForAnalysts(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, graphtest.FamilyIPad...)
	res, err := e.db.ReadQuery(e.ctx, "mark", `MATCH (i:Identifier:Shared {space: $space})
		RETURN i.type + ':' + i.value + ' ' + i.reason + ' ' + i.shared_message_id + ' ' + toString(i.since) AS mark`, map[string]any{"space": e.space.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Records {
		got = append(got, fmt.Sprint(r.Values[0]))
	}
	if want := []string{"ios.id:ipad-1 two_users kid-3 2020-01-02T16:20:00Z[UTC]"}; !slices.Equal(got, want) {
		t.Errorf("marks %v, want %v", got, want)
	}
}

// TestSharedInHealthReport: the health report lists the space's shared
// identifiers with why and since when.
func TestSharedInHealthReport(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, graphtest.FamilyIPad...)
	h, err := e.store.Health(e.ctx, e.space.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Shared) != 1 || h.Shared[0].Identifier != mustID("ios.id:ipad-1") || h.Shared[0].Reason != idgraph.SharedTwoUsers {
		t.Errorf("shared identifiers %+v, want the iPad, two_users", h.Shared)
	}
}
