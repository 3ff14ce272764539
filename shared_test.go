package idgraph

import (
	"strings"
	"testing"
	"time"
)

// marks lists what a resolver marked shared, as "type:value reason".
func marks(r *Resolver) string {
	var out []string
	for _, m := range r.Result().Shared {
		out = append(out, m.Identifier.String()+" "+m.Reason)
	}
	return strings.Join(out, "; ")
}

// TestSharedTwoUsers: a child logs in on the family tablet that holds the
// parent's profile; the user_id limit refuses the tablet's link, and the
// tablet, seen with both users, is marked shared. The child's anonymous id,
// refused too, was seen with one user only: it is not.
func TestSharedTwoUsers(t *testing.T) {
	r := run(t, DefaultRules(), nil,
		ev(0, "user_id:mom", "anonymous_id:a1", "ios.id:ipad"),
		ev(time.Hour, "anonymous_id:a2", "ios.id:ipad"),
		ev(2*time.Hour, "user_id:kid", "anonymous_id:a2", "ios.id:ipad"),
	)
	if got, want := marks(r), "ios.id:ipad two_users"; got != want {
		t.Fatalf("marked %q, want %q", got, want)
	}
	m := r.Result().Shared[0]
	if m.MessageID != "m3" || !m.Since.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("mark cites %s at %s, want m3 at %s", m.MessageID, m.Since, t0.Add(2*time.Hour))
	}
	want := "ios.id:ipad is shared (two users logged in behind it: kid, mom, first in event m3); it has not joined identifiers since 2019-11-15T12:00:00Z"
	if got := m.Sentence(); got != want {
		t.Errorf("sentence\n got %s\nwant %s", got, want)
	}
}

// TestSharedManyPeople: with the user_id limit raised, no refusal fires,
// but a browser seen with min_people user ids within the window is shared;
// outside the window it is not.
func TestSharedManyPeople(t *testing.T) {
	rules := DefaultRules()
	rules.Types["user_id"] = IdentifierRule{Type: "user_id", Priority: 1, Limit: 5}
	rules.Shared.Window = WindowDaily
	steps := func(gap time.Duration) []step {
		return []step{ev(0, "user_id:u1", "ga_client_id:g"), ev(gap, "user_id:u2", "ga_client_id:g")}
	}
	if got, want := marks(run(t, rules, nil, steps(time.Hour)...)), "ga_client_id:g many_people"; got != want {
		t.Errorf("within a day: marked %q, want %q", got, want)
	}
	if got := marks(run(t, rules, nil, steps(48*time.Hour)...)); got != "" {
		t.Errorf("two days apart: marked %q, want nothing", got)
	}
}

// TestSharedKiosk: a device on which many anonymous ids appear within a
// day is a kiosk, before anyone logs in twice; a phone whose app keeps its
// anonymous id is not.
func TestSharedKiosk(t *testing.T) {
	var kiosk, phone []step
	for i := range DefaultKioskAnonymousIDs {
		at := time.Duration(i) * time.Hour
		kiosk = append(kiosk, ev(at, "anonymous_id:k"+string(rune('a'+i)), "ios.id:kiosk"))
		phone = append(phone, ev(at, "anonymous_id:same", "ios.id:phone"))
	}
	if got, want := marks(run(t, DefaultRules(), nil, kiosk...)), "ios.id:kiosk kiosk"; got != want {
		t.Errorf("kiosk: marked %q, want %q", got, want)
	}
	if got := marks(run(t, DefaultRules(), nil, phone...)); got != "" {
		t.Errorf("phone: marked %q, want nothing", got)
	}
}

// TestSharedAccount: a QA login seen on many devices is a shared account;
// an employee's phone it logs in on is not marked shared for it.
func TestSharedAccount(t *testing.T) {
	var steps []step
	for i := range DefaultAccountDevices {
		steps = append(steps, ev(time.Duration(i)*time.Minute, "user_id:qa", "ios.id:test"+string(rune('a'+i))))
	}
	steps = append(steps,
		ev(time.Hour, "user_id:emp", "ios.id:own"),
		ev(2*time.Hour, "user_id:qa", "email:qa@x.com", "ios.id:own"),
	)
	if got := marks(run(t, DefaultRules(), nil, steps...)); got != "" {
		t.Errorf("marked %q, want nothing: the account is shared, not the phone", got)
	}
}

// TestSharedJoinsNothing: a shared identifier keeps no one together; the
// link is kept as evidence (REJECTED, rule shared), and segment_compatible
// rules join as Segment does.
func TestSharedJoinsNothing(t *testing.T) {
	steps := []step{ev(0, "anonymous_id:a1", "ios.id:ipad"), ev(time.Hour, "anonymous_id:a2", "ios.id:ipad")}
	r := NewResolver(DefaultRules(), nil, counter())
	r.Know(map[Identifier]IdentifierState{id("ios.id:ipad"): {Shared: true}})
	for i, s := range steps {
		r.Apply(Event{Type: "track", MessageID: "m" + string(rune('1'+i)), Timestamp: t0.Add(s.at)}, "src", s.ids)
	}
	if got, want := partition(r), "anonymous_id:a1 | anonymous_id:a2 | ios.id:ipad"; got != want {
		t.Errorf("shared: partition %s, want %s", got, want)
	}
	if got := rejections(r); !strings.Contains(got, "ios.id:ipad->anonymous_id:a1 shared") {
		t.Errorf("rejections %s: want the shared link kept as evidence", got)
	}
	seg := run(t, DefaultRules().SegmentCompatible(), nil, steps...)
	if got, want := partition(seg), "anonymous_id:a1,anonymous_id:a2,ios.id:ipad"; got != want {
		t.Errorf("segment_compatible: partition %s, want %s", got, want)
	}
}

// TestPlanRehome: splitting the parent's profile along the tablet leaves
// the child's anonymous id, which reached it only through the tablet, in a
// part of its own, and the tablet alone; the parent keeps the profile.
func TestPlanRehome(t *testing.T) {
	p := known("prf_mom", t0, 0, "user_id:mom", "anonymous_id:a1", "ios.id:ipad", "anonymous_id:a2")
	edge := func(a, b string) Edge {
		x, y := id(a), id(b)
		if y.Less(x) {
			x, y = y, x
		}
		return Edge{A: x, B: y, Count: 1}
	}
	in := SplitInput{Profile: p, Edges: []Edge{
		edge("user_id:mom", "anonymous_id:a1"), edge("user_id:mom", "ios.id:ipad"), edge("anonymous_id:a2", "ios.id:ipad"),
	}}
	m := SharedMark{Identifier: id("ios.id:ipad"), Since: t0, Reason: SharedTwoUsers, Detail: "two users logged in behind it", MessageID: "m3"}
	plan, ok := PlanRehome(in, m, t0, counter())
	if !ok {
		t.Fatal("nothing to split")
	}
	var parts []string
	for _, part := range plan.Parts {
		var ids []string
		for _, s := range part.Identifiers {
			ids = append(ids, s.Identifier.String())
		}
		parts = append(parts, part.ProfileID+":"+strings.Join(ids, ","))
	}
	if got, want := strings.Join(parts, " "), "prf_mom:anonymous_id:a1,user_id:mom p1:anonymous_id:a2 p2:ios.id:ipad"; got != want {
		t.Errorf("parts %s, want %s", got, want)
	}
	if len(plan.Cut) != 2 || plan.Actor != SharedActor || plan.Reason != m.Sentence() {
		t.Errorf("cut %d links by %s (%s), want the tablet's 2 by %s with the mark's sentence", len(plan.Cut), plan.Actor, plan.Reason, SharedActor)
	}
	if _, ok := PlanRehome(SplitInput{Profile: known("prf_x", t0, 0, "ios.id:ipad")}, m, t0, counter()); ok {
		t.Error("a profile of the shared identifier alone was split")
	}
}
