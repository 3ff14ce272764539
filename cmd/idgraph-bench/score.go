package main

import (
	"context"
	"fmt"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/cli"
)

// runScore scores idgraph's rules in process, without Neo4j: workloads of
// the given size with no noise, each kind alone and all (or the kinds
// named), through the in-memory store, with shared identifiers on (the
// default) and off (segment_compatible), beside plain components.
func runScore(_ context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("score", "[-events N] [-seed S] [-noise KINDS]")
	events := fs.Int("events", 100_000, fmt.Sprintf("events per workload, 1 to %d", maxGenEvents))
	seed := fs.Uint64("seed", 1, "workload seed")
	noise := fs.String("noise", "", "score only this noise setting (see gen); default: none, each kind alone, and all")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	if *events < 1 || *events > maxGenEvents {
		return cli.UsageErrorf("score: -events %d: want 1 to %d", *events, maxGenEvents)
	}
	var sets []bench.NoiseSet
	if *noise != "" {
		set, err := bench.ParseNoise(*noise)
		if err != nil {
			return cli.UsageErrorf("score: -noise: %s", idgraph.ErrorMessage(err))
		}
		sets = append(sets, set)
	}
	effects, err := bench.NoiseBreakdown(*events, *seed, sets...)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%-16s %-19s %-19s %-19s\n", "noise", "shared on (P / R)", "segment (P / R)", "components (P / R)")
	for _, e := range effects {
		name := e.Noise
		if len(effects) > 1 && e.Noise == bench.BreakdownSets()[len(bench.BreakdownSets())-1].String() {
			name = "all"
		}
		fmt.Fprintf(c.Stdout, "%-16s %.5f / %.5f   %.5f / %.5f   %.5f / %.5f\n", name,
			e.Rules.Precision, e.Rules.Recall, e.Segment.Precision, e.Segment.Recall, e.Components.Precision, e.Components.Recall)
	}
	return nil
}
