package bench

import (
	"strings"
	"testing"
)

// TestSharedCostTurns: segment_compatible first and last, the default rules
// between, key's own space the first default turn.
func TestSharedCostTurns(t *testing.T) {
	got := strings.Join(sharedCostTurns("c4"), " ")
	if want := "c4_segment1 c4 c4_segment2 c4_again2 c4_segment3"; got != want {
		t.Errorf("sharedCostTurns(c4) = %s, want %s", got, want)
	}
	for turn, segment := range map[string]bool{"c4_segment1": true, "c4": false, "c4_again2": false} {
		if isSegment(turn) != segment {
			t.Errorf("isSegment(%s) = %v", turn, !segment)
		}
	}
}
