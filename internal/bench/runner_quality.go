package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
)

// The phases on the finished graph: accuracy against the ground truth,
// idgraph check and idgraph rebuild.

// accuracy scores the main graph's profiles and plain components against
// the ground truth.
func (r *runner) accuracy(ps *profiles) error {
	f, err := os.Open(r.truth)
	if err != nil {
		return err
	}
	truth, err := ReadTruth(f)
	f.Close()
	if err != nil {
		return err
	}
	ev, err := os.Open(r.events)
	if err != nil {
		return err
	}
	comps, err := Components(ev, idgraph.DefaultRules())
	ev.Close()
	if err != nil {
		return err
	}
	ev, err = os.Open(r.events)
	if err != nil {
		return err
	}
	resolved, err := ResolvedEach(ev, idgraph.DefaultRules(), idgraph.DefaultRules().SegmentCompatible())
	ev.Close()
	if err != nil {
		return err
	}
	for _, p := range []struct {
		key, name string
		part      *Partition
		method    string
	}{
		{"idgraph", "idgraph profiles", ps.partition, fmt.Sprintf("identifier → profile read back from Neo4j (space %s, the %s-client run) and scored against the ground truth; pairwise, over personal identifiers (see BENCHMARKS.md, Method).", r.spaces[r.mainKey()].id, strings.TrimPrefix(r.mainKey(), "c"))},
		{"resolver", "idgraph rules in process", resolved[0], "the same events through the in-memory store (internal/memstore: the store's batch flow around idgraph.Resolver) in this process, in file order, in batches of up to " + thousands(float64(ingest.DefaultMaxBatch)) + " consecutive events of one source: what a sequential load stores, without Neo4j or concurrency; scored the same way."},
		{"resolver_segment", "idgraph rules in process, segment_compatible", resolved[1], "as the line above, with segment_compatible: true (shared identifiers off, Segment's rules exactly): the two settings side by side."},
		{"components", "plain connected components", comps, "union-find in Go over the identifiers of each event of the NDJSON (default extraction, blocked values kept as identifiers, no limits), scored the same way."},
	} {
		a := Score(truth, p.part)
		r.rep.Accuracy[p.key] = a
		r.logf("accuracy of %s: %s", p.name, a)
		fp := r.rep.add(Figure{Key: "accuracy." + p.key + ".precision", Section: "Accuracy", Name: p.name + ", precision", Value: a.Precision, Unit: "ratio", Method: p.method})
		fr := r.rep.add(Figure{Key: "accuracy." + p.key + ".recall", Section: "Accuracy", Name: p.name + ", recall", Value: a.Recall, Unit: "ratio",
			Method: fmt.Sprintf("%s of %s linkable pairs found.", thousands(float64(a.FoundPairs)), thousands(float64(a.LinkablePairs)))})
		r.rep.add(Figure{Key: "accuracy." + p.key + ".f1", Section: "Accuracy", Name: p.name + ", F1", Value: a.F1, Unit: "ratio",
			Method: fmt.Sprintf("%s of %s predicted pairs correct.", thousands(float64(a.CorrectPairs)), thousands(float64(a.PredictedPairs)))})
		if p.key == "idgraph" {
			fp.target(true, 0.999, "ratio")
			fr.target(true, 0.99, "ratio")
		}
	}
	return nil
}

// maintenance times idgraph check and idgraph rebuild on the main graph.
func (r *runner) maintenance(ctx context.Context, sp *benchSpace) error {
	for _, cmd := range []string{"check", "rebuild"} {
		r.logf("%s: idgraph %s -space %s", cmd, cmd, sp.id)
		pctx, cancel := r.phase(ctx)
		took, out, errOut, err := runCommand(pctx, r.o.Binary, r.env, cmd, "-space", sp.id)
		cancel()
		last := lastLine(out)
		method := fmt.Sprintf("wall time of `idgraph %s -space S` on the %s-event graph (process start, connection and schema check included); it printed %q.",
			cmd, thousands(float64(r.o.Events)), tailOf(last, 300))
		if err != nil {
			if cmd != "check" || !strings.Contains(last, "violations") {
				return fmt.Errorf("idgraph %s: %v\n%s", cmd, err, tailOf(errOut, 2000))
			}
			method += " It exited non-zero: the graph breaks an invariant."
			r.rep.note("idgraph check found violations on the benchmark graph: %s", tailOf(out, 1000))
		}
		r.rep.add(Figure{Key: "maintenance." + cmd, Section: "Check and rebuild", Name: "idgraph " + cmd, Value: took.Seconds(), Unit: "s", Method: method})
	}
	return nil
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// runCommand runs binary with args and env and returns its wall time and
// output.
func runCommand(ctx context.Context, binary string, env []string, args ...string) (time.Duration, string, string, error) {
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	return time.Since(start), out.String(), errOut.String(), err
}
