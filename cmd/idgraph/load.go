package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/cli"
)

// runLoad streams NDJSON events from a file (or standard input) through the
// resolution engine in batches, with a progress bar, and reports loaded,
// duplicate and invalid counts; an invalid line is reported with its number
// and does not stop the rest.
func runLoad(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("load", "[-space ID] [-source ID] [-batch N] FILE|-")
	spaceID := fs.String("space", "default", "the space to load into")
	sourceID := fs.String("source", "", "the source the events come from (default: the space's first source)")
	batch := fs.Int("batch", 500, "events per transaction")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return cli.UsageErrorf("load: %v", err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return cli.UsageErrorf("load: want one FILE, or - for standard input")
	}
	if *batch < 1 || *batch > 10000 {
		return cli.UsageErrorf("load: -batch %d: want 1 to 10000", *batch)
	}
	cfg, err := c.Config()
	if err != nil {
		return err
	}
	space, err := c.Space(cfg, *spaceID)
	if err != nil {
		return err
	}
	source, err := pickSource(space, *sourceID)
	if err != nil {
		return err
	}

	in, size, err := openInput(fs.Arg(0))
	if err != nil {
		return err
	}
	defer in.Close()

	db, err := graph.Open(ctx, cfg.Graph())
	if err != nil {
		return err
	}
	defer db.Close(context.WithoutCancel(ctx))
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}

	bar := progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(c.Stderr),
		progressbar.OptionSetDescription("loading"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	reader := progressbar.NewReader(in, bar)
	start := time.Now()
	rep, err := ingest.Load(ctx, graph.NewStore(db), space, source, &reader, ingest.LoadOptions{
		BatchSize: *batch,
		Progress: func(r ingest.LoadReport) {
			bar.Describe(fmt.Sprintf("loaded %d events", r.Loaded))
		},
	})
	_ = bar.Finish()
	took := time.Since(start)
	for _, le := range rep.Errors {
		fmt.Fprintf(c.Stderr, "line %d: %s\n", le.Line, idgraph.ErrorMessage(le.Err))
	}
	if extra := rep.Invalid - len(rep.Errors); extra > 0 {
		fmt.Fprintf(c.Stderr, "... and %d more bad lines\n", extra)
	}
	fmt.Fprintf(c.Stdout, "loaded %d, duplicate %d, invalid %d (bad lines) from %d lines in %s (%.0f events/s); %d links refused by the rules, %d merges\n",
		rep.Loaded, rep.Duplicates, rep.Invalid, rep.Lines, took.Round(time.Millisecond),
		float64(rep.Loaded+rep.Duplicates)/took.Seconds(), rep.Rejections, rep.Merges)
	return err
}

// pickSource returns the space's source with the given id, or its first
// source when id is empty.
func pickSource(space idgraph.Space, id string) (idgraph.Source, error) {
	for _, s := range space.Sources {
		if id == "" || s.ID == id {
			return s, nil
		}
	}
	if id == "" {
		return idgraph.Source{}, cli.UsageErrorf("space %q has no source", space.ID)
	}
	return idgraph.Source{}, cli.UsageErrorf("space %q has no source %q", space.ID, id)
}

// openInput opens path ("-" is standard input) and returns its size, -1
// when unknown.
func openInput(path string) (io.ReadCloser, int64, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), -1, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, idgraph.Errorf(idgraph.EINVALID, "load: %v", err)
	}
	size := int64(-1)
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	return f, size, nil
}
