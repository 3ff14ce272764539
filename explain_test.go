package idgraph

import (
	"testing"
	"time"
)

// TestRejectionNamesItsNeverDecision reads the decision id back from the
// detail the resolver writes when a never decision refuses a join.
func TestRejectionNamesItsNeverDecision(t *testing.T) {
	jane := Profile{ID: "p_jane", CreatedAt: t0, Traits: Traits{}, Identifiers: []Sighting{{Identifier: id("user_id:jane"), FirstSeen: t0}}}
	shopper := Profile{ID: "p_shopper", CreatedAt: t0, Traits: Traits{}, Identifiers: []Sighting{{Identifier: id("anonymous_id:b1"), FirstSeen: t0}}}
	never, err := NewLinkDecision(id("user_id:jane"), id("anonymous_id:b1"), DecisionNever, "kiosk", "ops", t0)
	if err != nil {
		t.Fatal(err)
	}
	r := NewResolver(DefaultRules(), []Profile{jane, shopper}, counter())
	r.KeepApart([]LinkDecision{never})
	r.Apply(Event{Type: "track", MessageID: "m1", Timestamp: t0.Add(time.Hour)}, "src", ids("user_id:jane", "anonymous_id:b1"))
	res := r.Result()
	if len(res.Rejections) != 1 {
		t.Fatalf("rejections = %+v, want one", res.Rejections)
	}
	rej := RejectionRef{Rule: res.Rejections[0].Rule, Detail: res.Rejections[0].Detail}
	if got := rej.DecisionID(); got != never.ID {
		t.Errorf("DecisionID of %q = %q, want %s", rej.Detail, got, never.ID)
	}
	rej.Rule = RuleMaxMerges
	if got := rej.DecisionID(); got != "" {
		t.Errorf("DecisionID of a max_merges rejection = %q, want none", got)
	}
}

func TestHopManualEventID(t *testing.T) {
	manual := EventRef{MessageID: "lnk_1", SourceID: ManualSourceID}
	other := EventRef{MessageID: "m1", SourceID: "segkicks"}
	tests := []struct {
		first, last EventRef
		want        string
	}{
		{manual, other, "lnk_1"},
		{other, manual, "lnk_1"},
		{other, other, ""},
	}
	for _, tt := range tests {
		if got := (Hop{FirstEvent: tt.first, LastEvent: tt.last}).ManualEventID(); got != tt.want {
			t.Errorf("ManualEventID(first %s, last %s) = %q, want %q", tt.first.MessageID, tt.last.MessageID, got, tt.want)
		}
	}
}
