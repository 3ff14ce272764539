// Package bench measures idgraph. It holds:
//
//   - a workload generator with ground truth: workload.go (what to
//     generate), generator.go and heaps.go (the clock), people.go,
//     arrivals.go and shared.go (who), sessions.go and events.go (what they
//     send), truth.go (the ground truth and the summary);
//   - pairwise accuracy against that truth (accuracy.go) of idgraph's
//     profiles, of its rules in process (resolved.go) and of plain
//     connected components (components.go);
//   - the runner behind `idgraph-bench bench`, which times ingestion,
//     lookups, explanations, check and rebuild against the real binary and
//     a real Neo4j: runner.go and its phases (runner_*.go), with
//     options.go, spaces.go and server.go for the setting and report.go and
//     markdown.go for what it writes; gobench.go writes the Go benchmarks'
//     table.
package bench

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/idgraph/idgraph"
)

// Workload says what to generate. The same Workload always gives the same
// bytes.
type Workload struct {
	Events int
	Seed   uint64
	Noise  NoiseSet
	// Start is when the first person arrives; DefaultStart when zero.
	Start time.Time
}

// DefaultStart is when the workload's first person arrives.
var DefaultStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// TruthHeader starts every ground-truth file.
const TruthHeader = "# idgraph ground truth: identifier (type:value) TAB owner (person id, or !noise-kind) TAB linkable component (person.n, or - for noise)\n"

// Generate writes w.Events events to events, one Segment event (JSON) a
// line, and the ground truth to truth (see TruthHeader and accuracy.go). It
// streams: memory depends on how many people are active at once, not on
// w.Events.
//
// People arrive over time (about one every four minutes), live for days to
// weeks of sessions and leave; their events are written in time order, except
// the out-of-order and replayed ones. The ground truth of a person is written
// when they leave (or when the workload ends), covering only the identifiers
// their written events carried.
func Generate(w Workload, events, truth io.Writer) (Summary, error) {
	if w.Events <= 0 {
		return Summary{}, idgraph.Errorf(idgraph.EINVALID, "events: want a positive number, got %d", w.Events)
	}
	if w.Start.IsZero() {
		w.Start = DefaultStart
	}
	g := newGenerator(w, events, truth)
	if _, err := io.WriteString(g.truth, TruthHeader); err != nil {
		return Summary{}, err
	}
	g.run()
	if g.err != nil {
		return g.sum, g.err
	}
	if err := g.out.Flush(); err != nil {
		return g.sum, err
	}
	if err := g.truth.Flush(); err != nil {
		return g.sum, err
	}
	return g.sum, nil
}

// Files of a workload directory.
const (
	EventsFile  = "events.ndjson"
	TruthFile   = "truth.tsv"
	SummaryFile = "summary.json"
)

// WriteWorkload generates w into dir (created if needed): EventsFile,
// TruthFile and SummaryFile.
func WriteWorkload(dir string, w Workload) (Summary, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, idgraph.WrapError(idgraph.EINVALID, err, "create %s", dir)
	}
	events, err := os.Create(filepath.Join(dir, EventsFile))
	if err != nil {
		return Summary{}, idgraph.WrapError(idgraph.EINVALID, err, "create %s", EventsFile)
	}
	defer events.Close()
	truth, err := os.Create(filepath.Join(dir, TruthFile))
	if err != nil {
		return Summary{}, idgraph.WrapError(idgraph.EINVALID, err, "create %s", TruthFile)
	}
	defer truth.Close()
	sum, err := Generate(w, events, truth)
	if err != nil {
		return sum, err
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return sum, err
	}
	if err := os.WriteFile(filepath.Join(dir, SummaryFile), append(b, '\n'), 0o644); err != nil {
		return sum, err
	}
	if err := events.Close(); err != nil {
		return sum, err
	}
	return sum, truth.Close()
}
