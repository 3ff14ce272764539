package bench

import (
	"bytes"
	"fmt"
	"io"
	"time"
)

// runSection is the part of BENCHMARKS.md a run writes; the rest of the
// file (the method and the analysis) is kept when a run rewrites it.
var runSection = section{
	begin: "<!-- bench:begin (written by idgraph-bench bench; edit outside the markers) -->",
	end:   "<!-- bench:end -->",
	doc: "# Benchmarks\n\nWritten by `make bench` (`idgraph-bench bench`); see the issue for the targets.\n\n" +
		"%s\n## Analysis\n\n_To be written: for each missed target, what limits it and what would move it._\n",
}

// replicaSection is the part of BENCHMARKS.md a replica comparison
// (idgraph-bench bench -replicas N) writes.
var replicaSection = section{
	begin: "<!-- bench-replicas:begin (written by idgraph-bench bench -replicas N; edit outside the markers) -->",
	end:   "<!-- bench-replicas:end -->",
	doc:   runSection.doc,
}

// WriteMarkdownFile writes the run into path: between the markers when the
// file has them, else at its end, else as a new file with an empty analysis
// section.
func (r *Report) WriteMarkdownFile(path string) error {
	var b bytes.Buffer
	r.writeMarkdown(&b)
	if r.Mode == "replicas" {
		return replicaSection.write(path, b.String())
	}
	return runSection.write(path, b.String())
}

func (r *Report) writeMarkdown(w io.Writer) {
	r.writeSetting(w)
	r.writeTargets(w)
	r.writeFigures(w)
	r.writeAccuracy(w)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w)
	}
	r.writeBreakdown(w)
	r.writePlans(w)
}

// writeSetting writes what was run, where: the run, the machine, the
// workload and its noise.
func (r *Report) writeSetting(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "## Run of %s (%s mode, %s events, %s)\n\n", r.Started.UTC().Format("2006-01-02 15:04 MST"), r.Mode, thousands(float64(r.Workload.Events)), r.Took.Round(time.Second))
	store := ""
	if m.Neo4jStore != "" {
		store = ", store " + m.Neo4jStore + " on disk at the start"
	}
	fmt.Fprintf(w, "Machine: %s; %d cores; %s memory; %s. Go %s (bench), idgraph %s; Neo4j %s %s on %s, heap %s, page cache %s%s. "+
		"Neo4j, idgraph and the load generator share the machine; its load average (1, 5, 15 min) was %s at the start and %s at the end.\n\n",
		m.CPU, m.Cores, m.Memory, m.OS, m.Go, m.IdgraphVersion, m.Neo4jVersion, m.Neo4jEdition, m.Java, m.Neo4jHeap, m.Neo4jPageCache, store, m.LoadBefore, m.LoadAfter)
	s := r.Workload
	fmt.Fprintf(w, "Workload: `idgraph-bench gen -events %d -seed %d -noise %s`: %s events (%s), %s people (%s with an account), "+
		"%s personal identifiers in %s linkable components, %s noise identifiers; timestamps %s to %s.\n\n",
		s.Events, s.Seed, s.Noise, thousands(float64(s.Events)), countList(s.ByType), thousands(float64(s.Persons)), thousands(float64(s.Known)),
		thousands(float64(s.PersonalIdentifiers)), thousands(float64(s.LinkableComponents)), thousands(float64(s.NoiseIdentifiers)),
		s.First.Format(time.DateOnly), s.Last.Format(time.DateOnly))
	fmt.Fprintf(w, "Noise: ")
	for i, k := range AllNoise {
		if i > 0 {
			fmt.Fprint(w, "; ")
		}
		if c := s.ByNoise[k]; c != nil {
			fmt.Fprintf(w, "%s %d instances, %d events", k, c.Instances, c.Events)
		} else {
			fmt.Fprintf(w, "%s off", k)
		}
	}
	fmt.Fprint(w, ".\n\n")
}

// writeTargets lists the figures the issue sets a target for, each with
// its value and whether it met it.
func (r *Report) writeTargets(w io.Writer) {
	var any bool
	for _, f := range r.Figures {
		if f.Target == "" {
			continue
		}
		if !any {
			fmt.Fprintf(w, "Against the targets:\n\n")
			any = true
		}
		fmt.Fprintf(w, "- %s: %s: %s against %s: %s.\n", f.Section, f.Name, formatValue(f.Value, f.Unit), f.Target, metText(f))
	}
	if any {
		fmt.Fprintln(w)
	}
}

func (r *Report) writeFigures(w io.Writer) {
	fmt.Fprintln(w, "| figure | value | target | | method |")
	fmt.Fprintln(w, "|---|---:|---|---|---|")
	for _, f := range r.Figures {
		method := f.Method
		if f.Note != "" {
			method += " " + f.Note
		}
		fmt.Fprintf(w, "| %s: %s | %s | %s | %s | %s |\n", f.Section, f.Name, formatValue(f.Value, f.Unit), f.Target, metText(f), method)
	}
	fmt.Fprintln(w)
}

func (r *Report) writeAccuracy(w io.Writer) {
	if len(r.Accuracy) == 0 {
		return
	}
	fmt.Fprintln(w, "| partition | precision | recall | F1 | predicted pairs | correct | linkable pairs | found | clusters | mixed | largest | personal ids missing | noise ids held |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, name := range []string{"idgraph", "resolver", "resolver_segment", "components"} {
		a, ok := r.Accuracy[name]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "| %s | %.4f | %.4f | %.4f | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", name,
			a.Precision, a.Recall, a.F1, a.PredictedPairs, a.CorrectPairs, a.LinkablePairs, a.FoundPairs,
			a.Clusters, a.Mixed, a.Largest, a.Missing, a.NoiseHeld)
	}
	fmt.Fprintln(w)
}

func (r *Report) writeBreakdown(w io.Writer) {
	if len(r.NoiseBreakdown) == 0 {
		return
	}
	fmt.Fprintf(w, "### Accuracy by noise kind (in process, %s events each)\n\n", thousands(float64(min(r.Workload.Events, 100_000))))
	fmt.Fprintln(w, "Rules are the default rules, shared identifiers found and kept from joining; segment_compatible are the same rules with them off, as Segment resolves.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| noise | rules: precision | recall | F1 | mixed profiles | segment_compatible: precision | recall | F1 | components: precision | recall | F1 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, e := range r.NoiseBreakdown {
		fmt.Fprintf(w, "| %s | %.4f | %.4f | %.4f | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f |\n", e.Noise,
			e.Rules.Precision, e.Rules.Recall, e.Rules.F1, e.Rules.Mixed, e.Segment.Precision, e.Segment.Recall, e.Segment.F1,
			e.Components.Precision, e.Components.Recall, e.Components.F1)
	}
	fmt.Fprintln(w)
}

// writePlans writes the profiled plans: a table of their totals, then each
// plan. They are of the queries as the measured version ran them.
func (r *Report) writePlans(w io.Writer) {
	if len(r.Plans) == 0 {
		return
	}
	fmt.Fprintf(w, "### Query plans (PROFILE)\n\n")
	fmt.Fprintf(w, "Of the queries as idgraph %s, the version this run measured, ran them.\n\n", r.Machine.IdgraphVersion)
	fmt.Fprintln(w, "| query | rows | db hits | time |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for _, p := range r.Plans {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", p.Query, thousands(float64(p.Rows)), thousands(float64(p.DBHits)), p.Took)
	}
	fmt.Fprintln(w)
	for _, p := range r.Plans {
		fmt.Fprintf(w, "`%s` (%s): %d rows, %d db hits, %s.\n\n```\n%s```\n\n", p.Query, p.Context, p.Rows, p.DBHits, p.Took, p.Text)
	}
}
