package graph

import (
	"testing"
	"time"
)

// TestRetryPause holds the pauses between retries short: between half and
// all of 5 ms doubling per failure, never above 250 ms, unlike the
// driver's one second doubling.
func TestRetryPause(t *testing.T) {
	for failed := 1; failed <= 40; failed++ {
		most := min(retryFirst<<min(failed-1, 8), retryMost)
		for range 100 {
			if d := retryPause(failed); d < most/2 || d > most {
				t.Fatalf("pause after %d failures: got %v, want %v to %v", failed, d, most/2, most)
			}
		}
	}
	if most := retryMost; most > 250*time.Millisecond {
		t.Errorf("longest pause %v, want at most 250 ms", most)
	}
}
