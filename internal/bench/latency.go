package bench

import (
	"sort"
	"time"
)

// latency is a set of request times.
type latency []time.Duration

// latencyStats summarises a latency set, in milliseconds.
type latencyStats struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

func (l latency) stats() latencyStats {
	if len(l) == 0 {
		return latencyStats{}
	}
	s := append(latency(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return latencyStats{N: len(s), P50: ms(percentile(s, 0.50)), P99: ms(percentile(s, 0.99)), Max: ms(s[len(s)-1])}
}

// percentile returns the nearest-rank percentile of sorted durations.
func percentile(sorted latency, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
