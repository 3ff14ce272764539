package idgraph

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// kioskProfile is a kiosk tablet that glued two shoppers: Jane's identifiers,
// the kiosk's device id, and Bob's anonymous session on it.
func kioskProfile() SplitInput {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := []struct {
		id  Identifier
		age int
	}{
		{Identifier{"user_id", "jane"}, 0},
		{Identifier{"email", "jane@x.com"}, 1},
		{Identifier{"android.id", "kiosk"}, 2},
		{Identifier{"anonymous_id", "b1"}, 3},
		{Identifier{"user_id", "bob"}, 4},
	}
	p := Profile{ID: "prf_kiosk"}
	for _, x := range ids {
		p.Identifiers = append(p.Identifiers, Sighting{Identifier: x.id, FirstSeen: t0.Add(time.Duration(x.age) * time.Hour)})
	}
	edge := func(a, b Identifier, n int, msg string) Edge {
		e := link(a, b, n)
		e.FirstMessageID, e.SourceIDs = msg, []string{"web"}
		return e
	}
	return SplitInput{Profile: p, Edges: []Edge{
		edge(ids[0].id, ids[1].id, 10, "m1"),
		edge(ids[0].id, ids[2].id, 30, "m2"),
		edge(ids[2].id, ids[3].id, 2, "m3"),
		edge(ids[3].id, ids[4].id, 5, "m4"),
	}}
}

func newIDs() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("prf_new%d", n) }
}

func partIDs(p SplitPart) string {
	var s []string
	for _, x := range p.Identifiers {
		s = append(s, x.Identifier.String())
	}
	slices.Sort(s)
	return strings.Join(s, ",")
}

func TestPlanSplitModes(t *testing.T) {
	jane, kiosk, b1, bob := Identifier{"user_id", "jane"}, Identifier{"android.id", "kiosk"}, Identifier{"anonymous_id", "b1"}, Identifier{"user_id", "bob"}
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		split     Split
		carried   []Identifier
		wantCut   []string
		wantParts []string // kept part first
	}{
		{"apart cuts the weakest link", Split{Apart: []Identifier{jane, bob}}, nil,
			[]string{"android.id:kiosk-anonymous_id:b1"},
			[]string{"android.id:kiosk,email:jane@x.com,user_id:jane", "anonymous_id:b1,user_id:bob"}},
		{"identifiers leave together", Split{Identifiers: []Identifier{kiosk, b1, bob}}, nil,
			[]string{"android.id:kiosk-user_id:jane"},
			[]string{"email:jane@x.com,user_id:jane", "android.id:kiosk,anonymous_id:b1,user_id:bob"}},
		{"cut names the links", Split{Cut: []LinkRef{{From: bob, To: b1}}}, nil,
			[]string{"anonymous_id:b1-user_id:bob"},
			[]string{"android.id:kiosk,anonymous_id:b1,email:jane@x.com,user_id:jane", "user_id:bob"}},
		{"event undoes its links", Split{Event: &EventKey{SourceID: "web", MessageID: "m3"}}, []Identifier{kiosk, b1},
			[]string{"android.id:kiosk-anonymous_id:b1"},
			[]string{"android.id:kiosk,email:jane@x.com,user_id:jane", "anonymous_id:b1,user_id:bob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := kioskProfile()
			in.Carried = tt.carried
			plan, err := PlanSplit(in, tt.split, DefaultRules(), "ops", at, newIDs())
			if err != nil {
				t.Fatal(err)
			}
			var cut []string
			for _, e := range plan.Cut {
				cut = append(cut, e.A.String()+"-"+e.B.String())
			}
			if !slices.Equal(cut, tt.wantCut) {
				t.Errorf("cut = %v, want %v", cut, tt.wantCut)
			}
			var parts []string
			for _, p := range plan.Parts {
				parts = append(parts, partIDs(p))
			}
			if !slices.Equal(parts, tt.wantParts) {
				t.Errorf("parts = %v, want %v", parts, tt.wantParts)
			}
			if !plan.Parts[0].Kept || plan.Parts[0].ProfileID != "prf_kiosk" || plan.Parts[1].ProfileID != "prf_new1" {
				t.Errorf("ids = %s (kept %v), %s; want the part with the oldest identifier to keep prf_kiosk", plan.Parts[0].ProfileID, plan.Parts[0].Kept, plan.Parts[1].ProfileID)
			}
			if len(plan.Never) != 1 || plan.Never[0].Decision != DecisionNever || plan.Never[0].Actor != "ops" {
				t.Fatalf("never = %+v, want one never decision by ops", plan.Never)
			}
			d := plan.Never[0]
			if !plan.Parts[0].Holds(d.A) && !plan.Parts[0].Holds(d.B) || !plan.Parts[1].Holds(d.A) && !plan.Parts[1].Holds(d.B) {
				t.Errorf("never %s-%s does not join the two parts", d.A, d.B)
			}
		})
	}
}

func TestPlanSplitNamesTheAnchors(t *testing.T) {
	jane, bob := Identifier{"user_id", "jane"}, Identifier{"user_id", "bob"}
	plan, err := PlanSplit(kioskProfile(), Split{Apart: []Identifier{jane, bob}}, DefaultRules(), "ops", time.Now(), newIDs())
	if err != nil {
		t.Fatal(err)
	}
	if d := plan.Never[0]; d.A != bob || d.B != jane {
		t.Errorf("never between %s and %s, want the two identifiers the request named", d.A, d.B)
	}
	plan, err = PlanSplit(kioskProfile(), Split{Apart: []Identifier{jane, bob}, Forget: true}, DefaultRules(), "ops", time.Now(), newIDs())
	if err != nil || len(plan.Never) != 0 {
		t.Errorf("Forget: never = %v, %v; want none", plan.Never, err)
	}
}

func TestPlanSplitErrors(t *testing.T) {
	jane, bob, stranger := Identifier{"user_id", "jane"}, Identifier{"user_id", "bob"}, Identifier{"user_id", "stranger"}
	all := []Identifier{jane, {"email", "jane@x.com"}, {"android.id", "kiosk"}, {"anonymous_id", "b1"}, bob}
	tests := []struct {
		name      string
		split     Split
		wantCode  string
		wantInMsg string
	}{
		{"no mode", Split{}, EINVALID, "exactly one of"},
		{"two modes", Split{Apart: []Identifier{jane, bob}, Identifiers: []Identifier{bob}}, EINVALID, "exactly one of"},
		{"apart needs two", Split{Apart: []Identifier{jane}}, EINVALID, "apart: want two"},
		{"apart the same", Split{Apart: []Identifier{jane, jane}}, EINVALID, "apart[1]"},
		{"a stranger", Split{Identifiers: []Identifier{stranger}}, ECONFLICT, "user_id:stranger"},
		{"every identifier", Split{Identifiers: all}, EINVALID, "move them all"},
		{"no such link", Split{Cut: []LinkRef{{From: jane, To: bob}}}, ECONFLICT, "user_id:jane - user_id:bob"},
		{"a link to itself", Split{Cut: []LinkRef{{From: jane, To: jane}}}, EINVALID, "cut[0]"},
		{"an event that joined nothing", Split{Event: &EventKey{SourceID: "web", MessageID: "nope"}}, EINVALID, "no identifier"},
		{"event without a source", Split{Event: &EventKey{MessageID: "m1"}}, EINVALID, "event.source_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanSplit(kioskProfile(), tt.split, DefaultRules(), "ops", time.Now(), newIDs())
			if ErrorCode(err) != tt.wantCode || !strings.Contains(ErrorMessage(err), tt.wantInMsg) {
				t.Errorf("PlanSplit = %v, want %s naming %q", err, tt.wantCode, tt.wantInMsg)
			}
		})
	}
}

func TestPlanSplitKeepsAlwaysTogether(t *testing.T) {
	in := kioskProfile()
	always, err := NewLinkDecision(Identifier{"user_id", "bob"}, Identifier{"anonymous_id", "b1"}, DecisionAlways, "same person", "ops", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	in.Decisions = []LinkDecision{always}
	_, err = PlanSplit(in, Split{Apart: []Identifier{{"user_id", "jane"}, {"user_id", "bob"}}}, DefaultRules(), "ops", time.Now(), newIDs())
	if err != nil {
		t.Errorf("a split that keeps the always pair together: %v", err)
	}
	_, err = PlanSplit(in, Split{Identifiers: []Identifier{{"anonymous_id", "b1"}}}, DefaultRules(), "ops", time.Now(), newIDs())
	if ErrorCode(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), always.ID) {
		t.Errorf("a split across an always decision = %v, want ECONFLICT naming it", err)
	}
}

func TestPlanRemovalKeepsTheProfileWithTheRest(t *testing.T) {
	jane, kiosk := Identifier{"user_id", "jane"}, Identifier{"android.id", "kiosk"}
	// Jane is the oldest identifier: the rest keep the profile's id all the same.
	plan, err := PlanRemoval(kioskProfile(), jane, "", DefaultRules(), "ops", time.Now(), newIDs())
	if err != nil {
		t.Fatal(err)
	}
	if plan.Parts[0].ProfileID != "prf_kiosk" || plan.Parts[0].Holds(jane) || !plan.Parts[0].Kept {
		t.Errorf("kept part = %+v, want the rest of the profile under prf_kiosk", plan.Parts[0])
	}
	if len(plan.Never) != 0 {
		t.Errorf("never = %v, want none", plan.Never)
	}
	// The kiosk bridges Jane and the shopper: three parts.
	plan, err = PlanRemoval(kioskProfile(), kiosk, "", DefaultRules(), "ops", time.Now(), newIDs())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range plan.Parts {
		got = append(got, partIDs(p))
	}
	if want := []string{"email:jane@x.com,user_id:jane", "android.id:kiosk", "anonymous_id:b1,user_id:bob"}; !slices.Equal(got, want) {
		t.Errorf("parts = %v, want %v", got, want)
	}
}
