package idgraph

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNewLinkDecision(t *testing.T) {
	a, b := id("user_id:b"), id("email:a@x.com")
	d, err := NewLinkDecision(a, b, DecisionNever, "  two people  ", "ops", t0)
	if err != nil {
		t.Fatal(err)
	}
	if d.A != b || d.B != a || d.Reason != "two people" || !strings.HasPrefix(d.ID, "lnk_") {
		t.Errorf("decision = %+v, want canonical order, a trimmed reason and an lnk_ id", d)
	}
	tests := []struct {
		name      string
		a, b      Identifier
		decision  string
		reason    string
		wantField string
	}{
		{"itself", a, a, DecisionNever, "", "b"},
		{"no decision", a, b, "", "", "decision"},
		{"bad decision", a, b, "maybe", "", "decision"},
		{"missing a", Identifier{}, b, DecisionAlways, "", "a"},
		{"long reason", a, b, DecisionAlways, strings.Repeat("x", MaxReasonBytes+1), "reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewLinkDecision(tt.a, tt.b, tt.decision, tt.reason, "ops", t0)
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || len(e.Problems) == 0 || e.Problems[0].Field != tt.wantField {
				t.Errorf("NewLinkDecision = %v, want EINVALID naming %s", err, tt.wantField)
			}
		})
	}
}

// TestResolverKeepsNeverApart: after a kiosk profile is split, an event that
// carries the kiosk and the shopper's anonymous id would join the two parts
// again; the never decision refuses it.
func TestResolverKeepsNeverApart(t *testing.T) {
	jane := Profile{ID: "p_jane", CreatedAt: t0, Traits: Traits{}, Identifiers: []Sighting{
		{Identifier: id("user_id:jane"), FirstSeen: t0}, {Identifier: id("android.id:kiosk"), FirstSeen: t0},
	}}
	shopper := Profile{ID: "p_shopper", CreatedAt: t0.Add(time.Hour), Traits: Traits{}, Identifiers: []Sighting{
		{Identifier: id("anonymous_id:b1"), FirstSeen: t0.Add(time.Hour)},
	}}
	never, err := NewLinkDecision(id("user_id:jane"), id("anonymous_id:b1"), DecisionNever, "kiosk", "ops", t0)
	if err != nil {
		t.Fatal(err)
	}
	r := NewResolver(DefaultRules(), []Profile{jane, shopper}, counter())
	r.KeepApart([]LinkDecision{never})
	re := r.Apply(Event{Type: "track", MessageID: "m1", Timestamp: t0.Add(2 * time.Hour)}, "src", ids("android.id:kiosk", "anonymous_id:b1"))
	if got := partition(r); got != "android.id:kiosk,user_id:jane | anonymous_id:b1" {
		t.Errorf("partition = %s, want the two parts apart", got)
	}
	if len(re.Accepted) != 1 || re.Accepted[0] != id("android.id:kiosk") {
		t.Errorf("accepted = %v, want only the kiosk", re.Accepted)
	}
	res := r.Result()
	if len(res.Rejections) != 1 || res.Rejections[0].Rule != RuleManualNever || !strings.Contains(res.Rejections[0].Detail, never.ID) {
		t.Errorf("rejections = %+v, want one manual:never naming the decision", res.Rejections)
	}
	// Without the decision the same event joins them.
	r = NewResolver(DefaultRules(), []Profile{jane, shopper}, counter())
	r.Apply(Event{Type: "track", MessageID: "m1", Timestamp: t0.Add(2 * time.Hour)}, "src", ids("android.id:kiosk", "anonymous_id:b1"))
	if got := partition(r); got != "android.id:kiosk,anonymous_id:b1,user_id:jane" {
		t.Errorf("without the decision: partition = %s, want one profile", got)
	}
}
