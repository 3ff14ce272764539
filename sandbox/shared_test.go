package sandbox_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// sendStory writes the family-iPad story live, event by event, under
// rules.
func (f *fixture) sendStory(t *testing.T, rules idgraph.Rules) {
	t.Helper()
	f.space.Rules = rules
	for _, line := range graphtest.FamilyIPad {
		e, err := idgraph.ParseEvent([]byte(line), time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.writer.Write(context.Background(), f.space, f.source, []idgraph.Event{e}); err != nil {
			t.Fatalf("write %s: %v", e.MessageID, err)
		}
	}
}

// members returns the identifiers of p, sorted.
func members(p idgraph.Profile) []string {
	var out []string
	for _, s := range p.Identifiers {
		out = append(out, s.Identifier.String())
	}
	slices.Sort(out)
	return out
}

// live returns the identifiers of the live profile holding s, sorted.
func (f *fixture) live(t *testing.T, s string) []string {
	t.Helper()
	p, err := f.store.Profile(context.Background(), f.space.ID, ident(s))
	if err != nil {
		t.Fatalf("live profile of %s: %v", s, err)
	}
	return members(p)
}

// mustCheck runs idgraph check on the space.
func (f *fixture) mustCheck(t *testing.T, when string) {
	t.Helper()
	rep, err := f.store.Check(context.Background(), f.space, nil)
	if err != nil {
		t.Fatalf("check %s: %v", when, err)
	}
	if !rep.OK() {
		t.Fatalf("check %s found violations: %+v", when, rep.Violations)
	}
}

// promote simulates the rules doc from whatever version is active and
// promotes it.
func (f *fixture) promote(t *testing.T, doc string) idgraph.Simulation {
	t.Helper()
	ctx := context.Background()
	rules, err := idgraph.ParseRules([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := f.box.Simulate(ctx, f.space, rules, "tester", "shared identifiers")
	if err != nil {
		t.Fatal(err)
	}
	if sim = f.wait(t, sim.ID, idgraph.SimulationRunning); sim.State != idgraph.SimulationDone {
		t.Fatalf("simulation of %s ended %s: %s", doc, sim.State, sim.Error)
	}
	if _, err := f.box.Promote(ctx, f.space, sim.ID, "tester"); err != nil {
		t.Fatal(err)
	}
	if sim = f.wait(t, sim.ID, idgraph.SimulationPromoting); sim.State != idgraph.SimulationPromoted {
		t.Fatalf("promotion of %s ended %s: %s", doc, sim.State, sim.Error)
	}
	return sim
}

// TestReplayResolvesSharedAsLive: a replay of the family-iPad story under
// the rules it was ingested with makes the profiles live ingestion made:
// the child's anonymous id re-homed to the child, the iPad in a profile of
// its own, and no difference to promote.
func TestReplayResolvesSharedAsLive(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.sendStory(t, idgraph.DefaultRules())
	sim := f.simulate(t, `{}`)
	for _, s := range []string{"user_id:mom", "user_id:kid", "anonymous_id:a-kid", "anonymous_id:a-mom"} {
		p, err := f.box.SimulatedProfile(ctx, f.space.ID, sim.ID, ident(s))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := members(p), f.live(t, s); !slices.Equal(got, want) {
			t.Errorf("replayed profile of %s %v, live %v", s, got, want)
		}
	}
	if got := f.live(t, "user_id:kid"); !slices.Equal(got, graphtest.KidProfile) {
		t.Errorf("live child's profile %v, want %v", got, graphtest.KidProfile)
	}
	p, err := f.box.SimulatedProfile(ctx, f.space.ID, sim.ID, ident("ios.id:ipad-1"))
	if err != nil || !slices.Equal(members(p), []string{"ios.id:ipad-1"}) {
		t.Errorf("replayed profile of the iPad %v, %v: want the iPad alone", members(p), err)
	}
	if d := sim.Difference; d == nil || d.IdentifiersMoved != 0 || d.ProfilesBefore != d.ProfilesAfter {
		t.Errorf("difference %+v: want no identifier moved and as many profiles", d)
	}
}

// TestPromoteSharedBothWays: promoting rules that turn shared identifiers
// on over a space ingested with segment_compatible rules re-homes the
// child and marks the iPad shared; promoting segment_compatible again
// takes the mark away and the iPad glues the child's anonymous id to the
// parent, as Segment does. Check is clean after each.
func TestPromoteSharedBothWays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.sendStory(t, idgraph.DefaultRules().SegmentCompatible())
	if got := f.live(t, "anonymous_id:a-kid"); !slices.Contains(got, "user_id:mom") {
		t.Fatalf("segment_compatible: a-kid is in %v, want the parent's profile", got)
	}
	f.mustCheck(t, "before promoting")

	f.promote(t, `{}`)
	f.mustCheck(t, "after turning shared identifiers on")
	if got := f.live(t, "user_id:mom"); !slices.Equal(got, graphtest.MomProfile) {
		t.Errorf("shared on: parent's profile %v, want %v", got, graphtest.MomProfile)
	}
	if got := f.live(t, "user_id:kid"); !slices.Equal(got, graphtest.KidProfile) {
		t.Errorf("shared on: child's profile %v, want %v", got, graphtest.KidProfile)
	}
	_, err := f.store.Profile(ctx, f.space.ID, ident("ios.id:ipad-1"))
	if idgraph.ErrorCode(err) != idgraph.ECONFLICT || !strings.Contains(idgraph.ErrorMessage(err), "ios.id:ipad-1 is shared (two users logged in behind it: kid, mom, first in event kid-3)") {
		t.Errorf("shared on: lookup by the iPad: %v, want a conflict saying it is shared", err)
	}
	x, err := f.store.Explain(ctx, f.space.ID, ident("anonymous_id:a-kid"), ident("user_id:mom"))
	if err != nil {
		t.Fatal(err)
	}
	if x.Together || !slices.ContainsFunc(x.Cuts, func(c idgraph.CutRef) bool { return strings.Contains(c.Reason, "ios.id:ipad-1 is shared") }) {
		t.Errorf("shared on: explain a-kid / mom: together %v, cuts %+v: want the iPad's link cut because it is shared", x.Together, x.Cuts)
	}

	f.promote(t, `{"segment_compatible": true}`)
	f.mustCheck(t, "after turning shared identifiers off")
	if got := f.live(t, "anonymous_id:a-kid"); !slices.Contains(got, "user_id:mom") || !slices.Contains(got, "ios.id:ipad-1") {
		t.Errorf("shared off: a-kid is in %v, want the parent's profile with the iPad", got)
	}
	if _, err := f.store.Profile(ctx, f.space.ID, ident("ios.id:ipad-1")); err != nil {
		t.Errorf("shared off: lookup by the iPad: %v, want its profile", err)
	}
}
