package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// GoBenchmark is one result line of `go test -bench` with -benchmem.
type GoBenchmark struct {
	// Name is the benchmark's name without "Benchmark" and the GOMAXPROCS
	// suffix: "StoreResolve", "WriterConcurrent/one-source".
	Name    string
	N       int64
	NsPerOp float64
	// BytesPerOp and AllocsPerOp are -1 when the line has none.
	BytesPerOp  float64
	AllocsPerOp float64
	// Metrics are the figures the benchmark reported itself
	// (b.ReportMetric), in the order printed.
	Metrics []GoMetric
}

// GoMetric is a figure a benchmark reported with b.ReportMetric.
type GoMetric struct {
	Value float64
	Unit  string
}

// GoBenchRun is what `go test -bench` printed: where it ran and each result.
type GoBenchRun struct {
	CPU, GOOS, GOARCH string
	Results           []GoBenchmark
}

var benchLine = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+(\d+)\s+(.*)$`)

// ParseGoBench reads the output of `go test -bench` (any number of runs,
// one after another) and keeps its results and its machine lines; the rest
// (logs, PASS, ok) is skipped.
func ParseGoBench(r io.Reader) (GoBenchRun, error) {
	var run GoBenchRun
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		for prefix, field := range map[string]*string{"cpu: ": &run.CPU, "goos: ": &run.GOOS, "goarch: ": &run.GOARCH} {
			if v, ok := strings.CutPrefix(line, prefix); ok {
				*field = v
			}
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		b := GoBenchmark{Name: m[1], BytesPerOp: -1, AllocsPerOp: -1}
		b.N, _ = strconv.ParseInt(m[2], 10, 64)
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return run, fmt.Errorf("benchmark %s: %q is not a number", b.Name, f[i])
			}
			switch f[i+1] {
			case "ns/op":
				b.NsPerOp = v
			case "B/op":
				b.BytesPerOp = v
			case "allocs/op":
				b.AllocsPerOp = v
			default:
				b.Metrics = append(b.Metrics, GoMetric{v, f[i+1]})
			}
		}
		run.Results = append(run.Results, b)
	}
	return run, sc.Err()
}

// goBenchmarks says what each benchmark of hotpath_test.go measures and
// what one of its operations is.
var goBenchmarks = map[string]struct{ what, per string }{
	"ParseEvent":                   {"`idgraph.ParseEvent`, one event", "event"},
	"ParseBatch":                   {"`idgraph.ParseBatch` of 100-event bodies", "event"},
	"Extract":                      {"`Rules.Extract`", "event"},
	"ResolverApply":                {"`Resolver.Apply`, 500 per resolver, `Result` included", "event"},
	"StoreResolve":                 {"`graph.Store.Resolve`, 500-event transactions one at a time, after 1,000 untimed events into another space (Neo4j)", "event"},
	"WriterConcurrent/two-sources": {"`ingest.Writer` and `graph.Store`, 16 goroutines × 100 events, two sources, after the same warm-up (Neo4j)", "event"},
	"WriterConcurrent/one-source":  {"the same, every event from one source (Neo4j)", "event"},
	"StoreProfile":                 {"`graph.Store.Profile`, one at a time (Neo4j)", "request"},
	"EvidenceApart/whole":          {"`graph/`'s lever experiment: `graph.Store`'s resolution transactions as they are, 1,000 events of one source each, one after another, after 1,000 untimed events into another space (Neo4j)", "event"},
	"EvidenceApart/apart":          {"the same events, each transaction only claiming its new events, their payload and `CARRIED` links written by a second transaction while the next batch resolves (Neo4j)", "event"},
}

// goBenchSection is the part of BENCHMARKS.md that make bench-go writes.
var goBenchSection = section{
	begin: "<!-- bench-go:begin (written by make bench-go; edit outside the markers) -->",
	end:   "<!-- bench-go:end -->",
	doc:   "# Benchmarks\n\n%s",
}

// WriteGoBenchFile writes run's results into path, between their markers,
// naming the commit they were measured at.
func WriteGoBenchFile(path, commit string, run GoBenchRun) error {
	var b bytes.Buffer
	writeGoBench(&b, commit, run)
	return goBenchSection.write(path, b.String())
}

func writeGoBench(w io.Writer, commit string, run GoBenchRun) {
	fmt.Fprintf(w, "### Go benchmarks at %s\n\n", commit)
	fmt.Fprintf(w, "`make bench-go` (the benchmarks of `internal/bench/hotpath_test.go` and `graph/evidence_apart_test.go`, those marked Neo4j against the test server) on %s, %s/%s.\n\n", run.CPU, run.GOOS, run.GOARCH)
	fmt.Fprintln(w, "| benchmark | what | time per operation | operations per second | memory | allocations |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|")
	for _, b := range run.Results {
		d := goBenchmarks[b.Name]
		if d.per == "" {
			d.per = "operation"
		}
		what := d.what
		for _, m := range b.Metrics {
			what += "; " + formatValue(m.Value, m.Unit)
		}
		fmt.Fprintf(w, "| `%s` | %s | %s per %s | %s | %s | %s |\n", b.Name, what, nanos(b.NsPerOp), d.per,
			thousands(1e9/b.NsPerOp), perOp(b.BytesPerOp, bytesText), perOp(b.AllocsPerOp, func(v float64) string { return thousands(v) }))
	}
	fmt.Fprintln(w)
}

// nanos formats a duration in nanoseconds in the unit that suits it.
func nanos(ns float64) string {
	switch {
	case ns >= 1e6:
		return formatValue(ns/1e6, "ms")
	case ns >= 1e3:
		return formatValue(ns/1e3, "µs")
	}
	return formatValue(ns, "ns")
}

func bytesText(b float64) string {
	if b >= 1000 {
		return formatValue(b/1000, "KB")
	}
	return formatValue(b, "B")
}

// perOp formats a per-operation figure, or leaves it blank when the line
// had none.
func perOp(v float64, format func(float64) string) string {
	if v < 0 {
		return ""
	}
	return format(v)
}
