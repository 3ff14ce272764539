package bench

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Markdown returns the report as SOAK.md holds it.
func (r *SoakReport) Markdown() string {
	var b strings.Builder
	o := r.Options
	fmt.Fprintf(&b, "# Soak\n\nWritten by `make soak` (`idgraph-bench soak`) at idgraph %s: %s of mixed requests at %g a second (%d in flight at most) against a child `idgraph serve` on loopback and a real Neo4j: ingestion from %d sources, lookups, explanations, split previews, and issue 15's poisoned requests. Not run in CI.\n\n",
		r.Version, o.Duration, o.Rate, o.Workers, len(soakSources))
	if o.OutageEvery > 0 {
		fmt.Fprintf(&b, "Every %s the server's connection to Neo4j (through a loopback proxy) was cut for %s: %d outages. A 503 to a request that overlapped an outage, or the %s after it, is expected and counted apart; any other 5xx is a problem.\n\n",
			o.OutageEvery, o.OutageFor, len(r.Outages), outageGrace)
	}
	if ps := r.Problems(); len(ps) > 0 {
		b.WriteString("**Problems:**\n\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "- %s\n", p)
		}
	} else {
		b.WriteString("**No problems:** no 5xx and no request without an answer; memory, goroutines, open files and p99 latency flat.\n")
	}
	fmt.Fprintf(&b, "\n## Over time\n\n| at | requests | p50 | p99 | max | RSS (MB) | goroutines | open files |\n|---|---|---|---|---|---|---|---|\n")
	for _, s := range r.Samples {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %.0f | %d | %d |\n", s.At.Round(time.Second), s.Requests,
			s.P50.Round(time.Millisecond), s.P99.Round(time.Millisecond), s.Max.Round(time.Millisecond), float64(s.RSS)/(1<<20), s.Goroutines, s.Files)
	}
	b.WriteString("\n## Every request's outcome\n\n| kind | status | requests |\n|---|---|---|\n")
	for _, kind := range slices.Sorted(maps.Keys(r.Outcomes)) {
		for _, status := range slices.Sorted(maps.Keys(r.Outcomes[kind])) {
			fmt.Fprintf(&b, "| %s | %d | %d |\n", kind, status, r.Outcomes[kind][status])
		}
	}
	if len(r.DuringOutage) > 0 {
		b.WriteString("\n## 503s during the outages\n\n| kind | status | requests |\n|---|---|---|\n")
		for _, kind := range slices.Sorted(maps.Keys(r.DuringOutage)) {
			for _, status := range slices.Sorted(maps.Keys(r.DuringOutage[kind])) {
				fmt.Fprintf(&b, "| %s | %d | %d |\n", kind, status, r.DuringOutage[kind][status])
			}
		}
	}
	fmt.Fprintf(&b, "\n%d ticks were dropped with every worker busy (the rate is a ceiling).\n", r.Skipped)
	return b.String()
}
