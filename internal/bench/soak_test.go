package bench

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSoakProblems(t *testing.T) {
	flat := func(n int, grow func(i int, s *SoakSample)) []SoakSample {
		out := make([]SoakSample, n)
		for i := range out {
			out[i] = SoakSample{At: time.Duration(i) * time.Minute, Requests: 100, P99: 20 * time.Millisecond, RSS: 30 << 20, Goroutines: 15, Files: 14}
			if grow != nil {
				grow(i, &out[i])
			}
		}
		return out
	}
	tests := []struct {
		name string
		rep  SoakReport
		want []string // substrings of the problems, in order
	}{
		{"flat, every answer below 500",
			SoakReport{Outcomes: map[string]map[int]int{"track": {200: 9}, "poisoned": {400: 3}}, Samples: flat(10, nil)}, nil},
		{"a 500 and a request without an answer",
			SoakReport{Outcomes: map[string]map[int]int{"track": {500: 1, 0: 2}}, Samples: flat(10, nil)},
			[]string{"1 track requests answered 500", "2 track requests answered 0"}},
		{"goroutines that leak",
			SoakReport{Samples: flat(10, func(i int, s *SoakSample) { s.Goroutines = 15 + 20*i })}, []string{"goroutines grew"}},
		{"memory that grows",
			SoakReport{Samples: flat(10, func(i int, s *SoakSample) { s.RSS = int64(30+40*i) << 20 })}, []string{"resident memory (MB) grew"}},
		{"a warm-up spike is no trend",
			SoakReport{Samples: flat(10, func(i int, s *SoakSample) {
				if i == 0 {
					s.P99, s.Goroutines = 5*time.Second, 300
				}
			})}, nil},
		{"too short to tell", SoakReport{Samples: flat(3, nil)}, []string{"too few"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.rep.Problems()
			if len(got) != len(tt.want) || !slices.EqualFunc(got, tt.want, strings.Contains) {
				t.Errorf("problems %q, want ones containing %q", got, tt.want)
			}
			if md := tt.rep.Markdown(); !strings.Contains(md, "| at | requests |") || (len(tt.want) > 0) != strings.Contains(md, "**Problems:**") {
				t.Errorf("markdown does not show the windows or the verdict:\n%s", md)
			}
		})
	}
}

func TestSoakRecordPutsOutage503sApart(t *testing.T) {
	r := &SoakReport{Outcomes: map[string]map[int]int{}, DuringOutage: map[string]map[int]int{}, started: time.Now().Add(-time.Hour)}
	r.Outages = []Outage{{Start: 10 * time.Minute, End: 10*time.Minute + 15*time.Second}}
	at := func(d time.Duration) time.Time { return r.started.Add(d) }
	r.record("track", 503, at(10*time.Minute+5*time.Second), time.Second)    // during the cut
	r.record("track", 503, at(10*time.Minute+20*time.Second), time.Second)   // in the grace after it
	r.record("track", 503, at(9*time.Minute+50*time.Second), 20*time.Second) // sent before, answered during
	r.record("track", 503, at(20*time.Minute), time.Second)                  // long after: a problem
	r.record("track", 500, at(10*time.Minute+5*time.Second), time.Second)    // a 500 is never an outage's
	r.record("track", 200, at(30*time.Minute), time.Second)
	if got := r.DuringOutage["track"][503]; got != 3 {
		t.Errorf("503s put down to the outage: got %d, want 3", got)
	}
	if got, want := r.Outcomes["track"], map[int]int{503: 1, 500: 1, 200: 1}; !maps.Equal(got, want) {
		t.Errorf("outcomes: got %v, want %v", got, want)
	}
	if len(r.window) != 2 {
		t.Errorf("latencies in the window: got %d, want the 2 requests that overlapped no outage", len(r.window))
	}
	ps := strings.Join(r.Problems(), "; ")
	for _, want := range []string{"1 track requests answered 503", "1 track requests answered 500"} {
		if !strings.Contains(ps, want) {
			t.Errorf("problems %q lack %q", ps, want)
		}
	}
}
