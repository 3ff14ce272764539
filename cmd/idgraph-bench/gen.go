package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/cli"
)

// maxGenEvents bounds idgraph-bench gen: five million events are about 4 GB.
const maxGenEvents = 5_000_000

// runGen writes a benchmark workload, repeatable from its seed: Segment
// events as NDJSON (one file; each event's context.app.name names its
// source), the ground truth (identifier -> person, or the noise kind of an
// identifier no single person owns) and a summary, which it also prints.
func runGen(_ context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("gen", "-events N -out DIR [-seed S] [-noise KINDS]")
	events := fs.Int("events", 10000, fmt.Sprintf("how many events to write, 1 to %d", maxGenEvents))
	seed := fs.Uint64("seed", 1, "random seed: the same seed and flags write the same files")
	out := fs.String("out", "", "directory to write "+bench.EventsFile+", "+bench.TruthFile+" and "+bench.SummaryFile+" into")
	noise := fs.String("noise", "all", "noise kinds: all, none, or a comma-separated list (-kind leaves one out) of "+noiseKinds())
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	if *events < 1 || *events > maxGenEvents {
		return cli.UsageErrorf("gen: -events %d: want 1 to %d", *events, maxGenEvents)
	}
	if *out == "" {
		fs.Usage()
		return cli.UsageErrorf("gen: -out DIR is required")
	}
	kinds, err := bench.ParseNoise(*noise)
	if err != nil {
		return cli.UsageErrorf("gen: -noise: %s", idgraph.ErrorMessage(err))
	}
	sum, err := bench.WriteWorkload(*out, bench.Workload{Events: *events, Seed: *seed, Noise: kinds})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "wrote %s, %s and %s\n", filepath.Join(*out, bench.EventsFile),
		filepath.Join(*out, bench.TruthFile), filepath.Join(*out, bench.SummaryFile))
	sum.WriteText(c.Stdout)
	return nil
}

func noiseKinds() string {
	s := ""
	for i, k := range bench.AllNoise {
		if i > 0 {
			s += ", "
		}
		s += string(k)
	}
	return s
}
