package bench

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/idgraph/idgraph/internal/faultproxy"
)

// SoakReport is what a soak run saw: every request's outcome, and the
// server's resources and latency window by window.
type SoakReport struct {
	Options  SoakOptions
	Version  string                 // idgraph's version (the commit it was built at)
	Outcomes map[string]map[int]int // by kind, by status (0: no answer)
	// DuringOutage are the 503s of requests that overlapped an injected
	// outage (or its grace after), by kind: expected, so not in Outcomes.
	DuringOutage map[string]map[int]int
	Outages      []Outage
	Skipped      int // ticks dropped because every worker was busy
	Samples      []SoakSample
	StopError    string // how the server's stop went wrong, if it did

	window  []time.Duration // the latencies of the current window
	started time.Time
}

// Outage is one injected cut of the server's connection to Neo4j, End zero
// while it lasts. Both are times since the soak started.
type Outage struct {
	Start, End time.Duration
}

// SoakSample is one window: its requests' latency, and the server's
// resident memory, goroutines and open files at its end.
type SoakSample struct {
	At            time.Duration
	Requests      int
	P50, P99, Max time.Duration
	RSS           int64 // bytes
	Goroutines    int
	Files         int
}

func (s SoakSample) String() string {
	return fmt.Sprintf("%d requests, p50 %s, p99 %s; RSS %.0f MB, %d goroutines, %d open files",
		s.Requests, s.P50.Round(time.Millisecond), s.P99.Round(time.Millisecond), float64(s.RSS)/(1<<20), s.Goroutines, s.Files)
}

// record counts a request sent at sent that took took. A 503 that
// overlapped an outage is counted apart, and no request that overlapped one
// counts towards the window's latency.
func (r *SoakReport) record(kind string, status int, sent time.Time, took time.Duration) {
	from := sent.Sub(r.started)
	if r.overlapsOutage(from, from+took) {
		if status == 503 {
			count(r.DuringOutage, kind, status)
			return
		}
	} else {
		r.window = append(r.window, took)
	}
	count(r.Outcomes, kind, status)
}

func count(m map[string]map[int]int, kind string, status int) {
	if m[kind] == nil {
		m[kind] = map[int]int{}
	}
	m[kind][status]++
}

// overlapsOutage tells whether [from, to] overlaps an outage or its grace.
func (r *SoakReport) overlapsOutage(from, to time.Duration) bool {
	for _, o := range r.Outages {
		if from <= o.End+outageGrace && to >= o.Start || o.End == 0 && to >= o.Start {
			return true
		}
	}
	return false
}

// outageOpen tells whether an outage is under way.
func (r *SoakReport) outageOpen() bool {
	return len(r.Outages) > 0 && r.Outages[len(r.Outages)-1].End == 0
}

// toggleOutage cuts px, or brings it back when an outage is under way.
func (r *SoakReport) toggleOutage(px *faultproxy.Proxy) {
	now := time.Since(r.started)
	if !r.outageOpen() {
		px.Down()
		r.Outages = append(r.Outages, Outage{Start: now})
		return
	}
	if err := px.Up(); err != nil {
		r.StopError = err.Error()
	}
	r.Outages[len(r.Outages)-1].End = now
}

// sample closes the current window: its latencies, and the server's
// resources read from /proc and its /metrics.
func (r *SoakReport) sample(at time.Duration, pid int, c *soakClient) {
	s := SoakSample{At: at, Requests: len(r.window)}
	if len(r.window) > 0 {
		slices.Sort(r.window)
		s.P50, s.P99, s.Max = r.window[len(r.window)/2], r.window[len(r.window)*99/100], r.window[len(r.window)-1]
	}
	r.window = r.window[:0]
	s.RSS = procRSS(pid)
	if fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid)); err == nil {
		s.Files = len(fds)
	}
	s.Goroutines = c.goroutines()
	r.Samples = append(r.Samples, s)
}

// procRSS returns pid's resident memory in bytes, 0 when unknown.
func procRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// goroutines reads go_goroutines from the server's /metrics.
func (c *soakClient) goroutines() int {
	res, err := c.client.Do(c.read(http.MethodGet, c.base+"/metrics", ""))
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "go_goroutines "); ok {
			n, _ := strconv.ParseFloat(rest, 64)
			return int(n)
		}
	}
	return 0
}

// Problems returns what the run should not have seen: a 5xx or no answer,
// a server that did not stop cleanly, and memory, goroutines, open files or
// latency that grew rather than stayed flat (the last third of the windows
// against the first, the first window left out as warm-up).
func (r *SoakReport) Problems() []string {
	var out []string
	for kind, statuses := range r.Outcomes {
		for status, n := range statuses {
			if status == 0 || status >= 500 {
				out = append(out, fmt.Sprintf("%d %s requests answered %d", n, kind, status))
			}
		}
	}
	if r.StopError != "" {
		out = append(out, "stop: "+r.StopError)
	}
	s := r.Samples
	if len(s) < 4 {
		return append(out, fmt.Sprintf("%d windows: too few to tell whether resources stay flat", len(s)))
	}
	s = s[1:]
	first, last := s[:len(s)/3], s[len(s)-len(s)/3:]
	mean := func(ss []SoakSample, f func(SoakSample) float64) float64 {
		t := 0.0
		for _, x := range ss {
			t += f(x)
		}
		return t / float64(len(ss))
	}
	for _, g := range []struct {
		name       string
		f          func(SoakSample) float64
		factor, by float64
	}{
		{"resident memory (MB)", func(x SoakSample) float64 { return float64(x.RSS) / (1 << 20) }, 1.5, 32},
		{"goroutines", func(x SoakSample) float64 { return float64(x.Goroutines) }, 1, 50},
		{"open files", func(x SoakSample) float64 { return float64(x.Files) }, 1, 20},
		{"p99 latency (ms)", func(x SoakSample) float64 { return float64(x.P99) / float64(time.Millisecond) }, 3, 100},
	} {
		if a, b := mean(first, g.f), mean(last, g.f); b > a*g.factor+g.by {
			out = append(out, fmt.Sprintf("%s grew from %.0f to %.0f", g.name, a, b))
		}
	}
	slices.Sort(out)
	return out
}
