package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/cli"
)

// runSoak runs the soak of issue 15 against an idgraph binary (a child
// idgraph serve) and the configured Neo4j, and writes its report. It fails
// when the run saw a 5xx, a request without an answer, or resources that
// grew.
func runSoak(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("soak", "[-duration 10m] [-rate 40] [-workers 8] [-window 30s] [-outage-every 3m] [-outage-for 15s] [-out SOAK.md]")
	duration := fs.Duration("duration", 10*time.Minute, "how long to send requests")
	rate := fs.Float64("rate", 40, "requests a second, all kinds together (a ceiling)")
	workers := fs.Int("workers", 8, "requests in flight at most")
	window := fs.Duration("window", 30*time.Second, "how often to sample the server's memory, goroutines and open files")
	outageEvery := fs.Duration("outage-every", 3*time.Minute, "cut the server's connection to Neo4j this often (0: never)")
	outageFor := fs.Duration("outage-for", 15*time.Second, "for this long")
	out := fs.String("out", "SOAK.md", "Markdown file to write the report to (\"\" for none)")
	binary := fs.String("binary", "", "the idgraph binary (default: idgraph beside this binary)")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	if *duration <= 0 || *rate <= 0 || *rate > 1000 || *workers < 1 || *workers > 100 || *window <= 0 ||
		*outageEvery < 0 || (*outageEvery > 0 && (*outageFor <= 0 || *outageFor >= *outageEvery)) {
		return cli.UsageErrorf("soak: want a positive -duration and -window, -rate up to 1000, -workers from 1 to 100, and an -outage-for shorter than -outage-every")
	}
	bin, err := idgraphBinary(*binary)
	if err != nil {
		return err
	}
	cfg, err := c.Config()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "idgraph-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rep, err := bench.Soak(ctx, bench.SoakOptions{Binary: bin, Graph: cfg.Graph(), Duration: *duration, Rate: *rate,
		Workers: *workers, Window: *window, Dir: dir, Log: c.Stderr, OutageEvery: *outageEvery, OutageFor: *outageFor})
	if err != nil {
		return err
	}
	md := rep.Markdown()
	fmt.Fprint(c.Stdout, md)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
			return err
		}
	}
	if ps := rep.Problems(); len(ps) > 0 {
		return fmt.Errorf("soak: %s", strings.Join(ps, "; "))
	}
	return nil
}
