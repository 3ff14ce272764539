package bench_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph/internal/bench"
)

// TestAReportWrittenFromItsJSONIsTheSame checks what -from relies on: the
// Markdown of a run read back from its JSON is the run's own.
func TestAReportWrittenFromItsJSONIsTheSame(t *testing.T) {
	dir := t.TempDir()
	met := false
	rep := &bench.Report{
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Took: 90 * time.Second, Mode: "quick",
		Machine:  bench.Machine{IdgraphVersion: "abc1234", Cores: 2, Neo4jPageCache: "1.00GiB", Neo4jStore: "6.9 GiB"},
		Figures:  []bench.Figure{{Key: "a", Section: "Ingest", Name: "rate", Value: 2840.5, Unit: "events/s", Target: "≥ 10,000 events/s", Met: &met, Method: "m"}},
		Accuracy: map[string]bench.Accuracy{"idgraph": {Precision: 0.98, Recall: 0.97, F1: 0.975, PredictedPairs: 10}},
		Plans:    []bench.Plan{{Query: "merge_events", Context: "one batch", DBHits: 9724, Rows: 500, Took: "33ms", Text: "Merge\n"}},
		Notes:    []string{"a note"},
	}
	direct, fromJSON := filepath.Join(dir, "a.md"), filepath.Join(dir, "b.md")
	if err := rep.WriteMarkdownFile(direct); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJSONFile(filepath.Join(dir, "bench.json")); err != nil {
		t.Fatal(err)
	}
	back, err := bench.ReadReportFile(filepath.Join(dir, "bench.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := back.WriteMarkdownFile(fromJSON); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(direct)
	b, _ := os.ReadFile(fromJSON)
	if string(a) != string(b) {
		t.Errorf("from JSON:\n%s\nwant:\n%s", b, a)
	}
	for _, want := range []string{"- Ingest: rate: 2,840 events/s against ≥ 10,000 events/s: **missed**.", "idgraph abc1234, the version this run measured", "| `merge_events` | 500 | 9,724 | 33ms |",
		"page cache 1.00GiB, store 6.9 GiB on disk at the start."} {
		if !strings.Contains(string(a), want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, a)
		}
	}
}

const goTestOutput = `goos: linux
goarch: amd64
pkg: github.com/idgraph/idgraph/internal/bench
cpu: AMD EPYC
BenchmarkParseEvent-2            	   80000	     15012 ns/op	    8203 B/op	     107 allocs/op
BenchmarkExtract-2               	  500000	      2630 ns/op
PASS
ok  	github.com/idgraph/idgraph/internal/bench	12.1s
BenchmarkWriterConcurrent/one-source-2         	   20000	    227123 ns/op	   61000 B/op	     800 allocs/op
BenchmarkEvidenceApart/apart-2         	   20000	    362327 ns/op	       312.5 resolve-ms/batch	         0.1905 evidence-retries/batch	   70000 B/op	     900 allocs/op
--- BENCH: BenchmarkStoreResolve-2
    hotpath_test.go:140: wrote 20000 events, not 20001
BenchmarkStoreProfile-2          	   20000	   1040000 ns/op	   90000 B/op	     575 allocs/op
`

func TestGoBenchmarksGoBetweenTheirMarkers(t *testing.T) {
	run, err := bench.ParseGoBench(strings.NewReader(goTestOutput))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Results) != 5 || run.CPU != "AMD EPYC" || run.Results[2].Name != "WriterConcurrent/one-source" || run.Results[1].BytesPerOp != -1 {
		t.Fatalf("parsed %+v: want 5 results on AMD EPYC, the third WriterConcurrent/one-source, Extract without memory", run)
	}
	if m := run.Results[3].Metrics; len(m) != 2 || m[1] != (bench.GoMetric{Value: 0.1905, Unit: "evidence-retries/batch"}) || run.Results[3].AllocsPerOp != 900 {
		t.Fatalf("EvidenceApart/apart parsed as %+v: want its two metrics in order, and its allocations", run.Results[3])
	}
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	hand := "# Benchmarks\n\nProse kept.\n"
	if err := os.WriteFile(path, []byte(hand), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, commit := range []string{"old1234", "new5678"} {
		if err := bench.WriteGoBenchFile(path, commit, run); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	got := string(b)
	for _, want := range []string{"Prose kept.", "### Go benchmarks at new5678", "| `ParseEvent` | `idgraph.ParseEvent`, one event | 15.0 µs per event | 66,613 | 8.20 KB | 107 |", "1.04 ms per request", "while the next batch resolves (Neo4j); 312 resolve-ms/batch; 0.19 evidence-retries/batch | 362 µs per event"} {
		if !strings.Contains(got, want) {
			t.Errorf("BENCHMARKS.md lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "old1234") || strings.Count(got, "bench-go:begin") != 1 {
		t.Errorf("the second write should replace the first:\n%s", got)
	}
}
