package idgraph

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// replayEvents applies identify events of (user, anon) pairs, one a minute.
func replayEvents(p *Replay, pairs ...[2]string) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, pr := range pairs {
		p.Apply(Event{Type: EventIdentify, MessageID: fmt.Sprintf("m%d", i), Timestamp: t0.Add(time.Duration(i) * time.Minute),
			UserID: pr[0], AnonymousID: pr[1]}, "web")
	}
}

func TestReplayDiffAndPlan(t *testing.T) {
	loose, err := ParseRules([]byte(`{"identifiers": [{"type": "anonymous_id", "limit": 5}]}`))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	p := NewReplay(loose, nil, nil, func() string { n++; return fmt.Sprintf("new%d", n) })
	replayEvents(p, [2]string{"u1", "a1"}, [2]string{"u1", "a2"}, [2]string{"u2", "b1"})
	if p.Apply(Event{Type: EventIdentify, MessageID: "m0", UserID: "u9"}, "web") {
		t.Error("an event applied twice")
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Live: a2 apart from u1 (a tighter limit refused it).
	before := []Member{
		{Identifier: id("user_id:u1"), ProfileID: "P1", FirstSeen: t0},
		{Identifier: id("anonymous_id:a1"), ProfileID: "P1", FirstSeen: t0},
		{Identifier: id("anonymous_id:a2"), ProfileID: "P2", FirstSeen: t0.Add(time.Minute)},
		{Identifier: id("user_id:u2"), ProfileID: "P3", FirstSeen: t0.Add(2 * time.Minute)},
		{Identifier: id("anonymous_id:b1"), ProfileID: "P3", FirstSeen: t0.Add(2 * time.Minute)},
	}
	d := p.Diff(before, map[string]int{"limit:anonymous_id": 1})
	if d.Events != 3 || d.ProfilesBefore != 3 || d.ProfilesAfter != 2 || d.MergesGained != 1 || d.MergesLost != 0 {
		t.Errorf("diff = events %d, profiles %d→%d, gained %d, lost %d; want 3, 3→2, 1, 0", d.Events, d.ProfilesBefore, d.ProfilesAfter, d.MergesGained, d.MergesLost)
	}
	if d.IdentifiersMoved != 1 || d.Moved[0].Identifier != id("anonymous_id:a2") || d.Moved[0].From != "P2" || d.Moved[0].To != "P1" {
		t.Errorf("moved = %+v, want a2 from P2 to P1", d.Moved)
	}
	if d.RefusalsBefore["limit:anonymous_id"] != 1 || len(d.RefusalsAfter) != 0 {
		t.Errorf("refusals %v → %v", d.RefusalsBefore, d.RefusalsAfter)
	}
	if len(d.Changed) != 1 || d.Changed[0].ProfileID != "P1" || !d.Changed[0].Kept || len(d.Changed[0].Why) == 0 {
		t.Errorf("changed = %+v, want P1 kept, with why", d.Changed)
	}

	plan := p.Plan(before, t0, nil)
	if plan.Kept != 2 || plan.Created != 0 || len(plan.Retired) != 1 || plan.Retired[0].From != "P2" || plan.Retired[0].Into != "P1" {
		t.Errorf("plan kept %d created %d retired %+v; want 2, 0, P2 into P1", plan.Kept, plan.Created, plan.Retired)
	}
	if len(plan.Memberships) != 1 || plan.Memberships[0].ProfileID != "P1" {
		t.Errorf("plan memberships = %+v, want a2 into P1", plan.Memberships)
	}
	if want := []string{"P1", "P2"}; fmt.Sprint(plan.Changed) != fmt.Sprint(want) {
		t.Errorf("plan changed = %v, want %v", plan.Changed, want)
	}
}

// A never decision holds in the replay as on the write path, and a refused
// pair is counted once however often it is refused.
func TestReplayKeepsNeverDecisions(t *testing.T) {
	never := []LinkDecision{{ID: "lnk_1", A: id("anonymous_id:a1"), B: id("user_id:u1"), Decision: DecisionNever, Actor: "ops"}}
	p := NewReplay(DefaultRules(), never, nil, nil)
	replayEvents(p, [2]string{"u1", "a1"}, [2]string{"u1", "a1"})
	x, err := p.Explain(id("user_id:u1"), id("anonymous_id:a1"))
	if err != nil || x.Together || len(x.Rejections) == 0 || x.Rejections[0].Rule != RuleManualNever {
		t.Errorf("explain u1→a1 = %+v, %v; want apart by %s", x, err, RuleManualNever)
	}
	if got := p.Refusals()[RuleManualNever]; got != 1 {
		t.Errorf("refusals by %s = %d, want 1 (one pair)", RuleManualNever, got)
	}
	if _, err := p.Explain(id("user_id:nobody"), id("user_id:u1")); ErrorCode(err) != ENOTFOUND {
		t.Errorf("explain an unknown identifier: %v, want ENOTFOUND", err)
	}
}

func TestSortArrivals(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	keys := []ArrivalKey{
		{SourceID: "b", MessageID: "1", ReceivedAt: t0, Timestamp: t0},
		{SourceID: "a", MessageID: "2", ReceivedAt: t0, Timestamp: t0},
		{SourceID: "a", MessageID: "1", ReceivedAt: t0, Timestamp: t0.Add(-time.Hour)},
		{SourceID: "a", MessageID: "0", ReceivedAt: t0.Add(-time.Second), Timestamp: t0.Add(time.Hour)},
	}
	SortArrivals(keys)
	var got []string
	for _, k := range keys {
		got = append(got, k.SourceID+k.MessageID)
	}
	if want := "[a0 a1 a2 b1]"; fmt.Sprint(got) != want {
		t.Errorf("arrival order = %v, want %s", got, want)
	}
}

// A replay re-homes what a shared identifier glued, as the stores do: the
// child's login shows the iPad shared; the parent's profile is split along
// it before the login is resolved, the cut links leave the replay's links
// and are kept as cuts, and no REJECTED shared link joins one profile.
func TestReplayRehomesShared(t *testing.T) {
	p := NewReplay(DefaultRules(), nil, nil, nil)
	t0 := time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)
	ipad := Identifier{Type: "ios.id", Value: "ipad-1"}
	for i, ev := range []struct{ id, user, anon string }{
		{"mom-1", "mom", "a-mom"}, {"kid-1", "", "a-kid"}, {"kid-2", "kid", "a-kid"},
	} {
		e := Event{Type: EventTrack, Event: "Played", MessageID: ev.id, Timestamp: t0.Add(time.Duration(i) * time.Hour),
			UserID: ev.user, AnonymousID: ev.anon, Context: map[string]any{"device": map[string]any{"id": "ipad-1", "type": "ios"}}}
		if !p.Apply(e, "app") {
			t.Fatalf("%s not applied", ev.id)
		}
	}
	owner := p.Partition()
	kid, mom := owner[Identifier{Type: TypeUserID, Value: "kid"}], owner[Identifier{Type: TypeUserID, Value: "mom"}]
	if got := owner[Identifier{Type: TypeAnonymousID, Value: "a-kid"}]; got != kid || kid == mom {
		t.Errorf("a-kid in %s, kid in %s, mom in %s: want a-kid with the child, apart from the parent", got, kid, mom)
	}
	if got := owner[ipad]; got == kid || got == mom {
		t.Errorf("the iPad is in %s, a person's profile: want one of its own", got)
	}
	if m := p.Marks(); len(m) != 1 || m[0].Identifier != ipad || m[0].Reason != SharedTwoUsers || m[0].MessageID != "kid-2" {
		t.Errorf("marks %+v: want the iPad, two users, shown by kid-2", m)
	}
	cuts := p.Cuts()
	if len(cuts) == 0 {
		t.Fatal("no link cut re-homing the iPad")
	}
	for _, c := range cuts {
		if c.A != ipad && c.B != ipad || !strings.Contains(c.Reason, "ios.id:ipad-1 is shared") {
			t.Errorf("cut %+v: want a link of the iPad, cut because it is shared", c)
		}
	}
	for _, e := range p.Edges() {
		if e.A == ipad || e.B == ipad {
			t.Errorf("link %v–%v of the shared iPad kept", e.A, e.B)
		}
	}
	for _, r := range p.Rejections() {
		if owner[r.From] == owner[r.To] {
			t.Errorf("refused link %v–%v (%s) within one profile", r.From, r.To, r.Rule)
		}
	}
}
