package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/cli"
)

// runBench runs the benchmark of issue 5 against an idgraph binary (by
// default the one beside this binary, started as a child `idgraph serve`, so its memory is its own) and the configured Neo4j, prints
// the figures with their targets, and writes them to a Markdown file
// (between markers, keeping the analysis around them) and a JSON file.
func runBench(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("bench", "[-quick] [-events N] [-replicas N] [-out BENCHMARKS.md] [-json bench.json] | -from bench.json [-out BENCHMARKS.md]")
	quick := fs.Bool("quick", false, "a short run: 10,000 events, fewer requests, under 3 minutes")
	events := fs.Int("events", 0, "workload size, the graph lookups run on (default 1,000,000; 10,000 with -quick)")
	rateEvents := fs.Int("rate-events", 0, "events of the 1- and 4-client and load runs (default min(events, 100,000))")
	seed := fs.Uint64("seed", 1, "workload seed")
	noise := fs.String("noise", "all", "workload noise kinds (see idgraph-bench gen)")
	out := fs.String("out", "BENCHMARKS.md", "Markdown file to write the figures into (\"\" for none)")
	jsonOut := fs.String("json", "bench.json", "JSON file to write the figures into (\"\" for none)")
	dir := fs.String("dir", "", "directory for the workload and spaces file (default: a temporary one, removed)")
	keep := fs.Bool("keep", false, "keep the benchmark's spaces in Neo4j")
	binary := fs.String("binary", "", "the idgraph binary to benchmark (default: idgraph beside this binary)")
	breakdown := fs.Bool("noise-breakdown", false, "also score the rules and plain components with each noise kind alone (in process, up to 100,000 events each)")
	profile := fs.Bool("profile-queries", false, "run Neo4j's PROFILE on every statement of the write path for one batch (rolled back) and on the slowest reads, and put the plans in the report")
	sample := fs.Bool("sample-queries", false, "sample Neo4j's running statements during ingest, lookups and explanations (a diagnostic; costs the server a little)")
	replicas := fs.Int("replicas", 0, "run only the replica comparison: the workload through 1, 2, ... N idgraph serve processes on one Neo4j, one space's stream spread across them by retrying clients (default 10,000 events)")
	from := fs.String("from", "", "run nothing: write the Markdown of the run recorded in this JSON file (what -json wrote)")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	if *from != "" {
		return rewriteBench(c, *from, *out)
	}
	kinds, err := bench.ParseNoise(*noise)
	if err != nil {
		return cli.UsageErrorf("bench: -noise: %s", idgraph.ErrorMessage(err))
	}
	if *events < 0 || *events > maxGenEvents {
		return cli.UsageErrorf("bench: -events %d: want 1 to %d", *events, maxGenEvents)
	}
	bin, err := idgraphBinary(*binary)
	if err != nil {
		return err
	}
	cfg, err := c.Config()
	if err != nil {
		return err
	}
	o := bench.Options{
		Binary: bin, Graph: cfg.Graph(), Events: *events, RateEvents: *rateEvents,
		Seed: *seed, Noise: kinds, Mode: "full", Dir: *dir, Keep: *keep, Log: c.Stderr, SampleQueries: *sample, ProfileQueries: *profile, NoiseBreakdown: *breakdown,
	}
	if *quick {
		o.Mode = "quick"
		if o.Events == 0 {
			o.Events = 10_000
		}
		o.Lookups, o.Explains, o.PhaseTimeout = 4_000, 1_000, 2*time.Minute
	}
	if *replicas < 0 || *replicas > 8 {
		return cli.UsageErrorf("bench: -replicas %d: want 1 to 8", *replicas)
	}
	if *replicas > 0 {
		o.Mode, o.Replicas = "replicas", *replicas
		if o.Events == 0 {
			o.Events = 10_000
		}
	}
	rep, err := bench.Run(ctx, o)
	if rep != nil && len(rep.Figures) > 0 {
		if werr := writeReport(c, rep, *out, *jsonOut); werr != nil {
			return werr
		}
	}
	return err
}

// idgraphBinary returns the idgraph binary to benchmark: path, or idgraph
// beside this binary; a usage error when there is none.
func idgraphBinary(path string) (string, error) {
	if path == "" {
		self, err := os.Executable()
		if err != nil {
			return "", err
		}
		path = filepath.Join(filepath.Dir(self), "idgraph")
	}
	if _, err := os.Stat(path); err != nil {
		return "", cli.UsageErrorf("bench: -binary %s: %v (build it with make build)", path, err)
	}
	return path, nil
}

// writeReport prints the figures and writes them to the Markdown and JSON
// files ("" for none).
func writeReport(c *cli.CLI, rep *bench.Report, out, jsonOut string) error {
	rep.WriteText(c.Stdout)
	if out != "" {
		if err := rep.WriteMarkdownFile(out); err != nil {
			return err
		}
		fmt.Fprintf(c.Stderr, "bench: wrote %s\n", out)
	}
	if jsonOut != "" {
		if err := rep.WriteJSONFile(jsonOut); err != nil {
			return err
		}
		fmt.Fprintf(c.Stderr, "bench: wrote %s\n", jsonOut)
	}
	return nil
}

// rewriteBench writes the Markdown of a recorded run again, from its JSON,
// without running it: for when the report's layout changes.
func rewriteBench(c *cli.CLI, from, out string) error {
	rep, err := bench.ReadReportFile(from)
	if err != nil {
		return fmt.Errorf("bench: -from: %w", err)
	}
	if out == "" {
		rep.WriteText(c.Stdout)
		return nil
	}
	if err := rep.WriteMarkdownFile(out); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "bench: wrote %s from %s\n", out, from)
	return nil
}
