package main

import (
	"context"
	"fmt"
	"os"

	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/cli"
)

// runGoBench writes the results of the Go benchmarks (the output of
// `go test -bench -benchmem`, in the -in file) into BENCHMARKS.md between their
// markers, named by the commit they were measured at. make bench-go runs
// the benchmarks and then this.
func runGoBench(_ context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("gobench", "-commit C -in FILE [-out BENCHMARKS.md]")
	commit := fs.String("commit", "", "the commit the benchmarks ran at (git describe)")
	in := fs.String("in", "", "the output of go test -bench -benchmem")
	out := fs.String("out", "BENCHMARKS.md", "Markdown file to write the table into")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	if *commit == "" || *in == "" {
		fs.Usage()
		return cli.UsageErrorf("gobench: -commit and -in are required")
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	run, err := bench.ParseGoBench(f)
	if err != nil {
		return err
	}
	if len(run.Results) == 0 {
		return fmt.Errorf("gobench: %s holds no benchmark results", *in)
	}
	if err := bench.WriteGoBenchFile(*out, *commit, run); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "gobench: wrote %d results into %s\n", len(run.Results), *out)
	return nil
}
