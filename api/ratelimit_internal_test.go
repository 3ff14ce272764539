package api

import (
	"testing"
	"time"
)

func TestLimiterRefillsAtItsRate(t *testing.T) {
	l := newLimiter(RateLimit{PerSecond: 0.5, Burst: 2})
	t0 := time.Unix(1_700_000_000, 0)
	for i, want := range []time.Duration{0, 0, 2 * time.Second} {
		if got := l.take("k", t0); got != want {
			t.Errorf("take %d at t0 = %s, want %s", i, got, want)
		}
	}
	if got := l.take("k", t0.Add(time.Second)); got != time.Second {
		t.Errorf("take after 1s = %s, want 1s more (half a token)", got)
	}
	if got := l.take("k", t0.Add(2*time.Second)); got != 0 {
		t.Errorf("take after 2s = %s, want 0 (a whole token)", got)
	}
	if got := l.take("other", t0); got != 0 {
		t.Errorf("another key = %s, want 0", got)
	}
	if newLimiter(RateLimit{}) != nil || newLimiter(RateLimit{PerSecond: 1}).take("k", t0) != 0 {
		t.Error("the zero RateLimit limits, or a rate without a burst refuses the first request")
	}
}
