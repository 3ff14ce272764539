package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/cli"
)

// runCheck verifies the graph's invariants for a space by recomputing its
// components with Cypher; it prints what is wrong and fails if anything is.
func runCheck(ctx context.Context, c *cli.CLI, args []string) error {
	store, space, done, err := openSpace(ctx, c, "check", args)
	if err != nil {
		return err
	}
	defer done()
	rep, err := store.Check(ctx, space, progress(c.Stderr))
	if err != nil {
		return err
	}
	for _, v := range rep.Violations {
		fmt.Fprintf(c.Stdout, "%s: %s\n", v.Kind, v.Detail)
	}
	fmt.Fprintf(c.Stdout, "space %s: %d profiles, %d identifiers, %d components, %d violations (%s)\n",
		space.ID, rep.Profiles, rep.Identifiers, rep.Components, len(rep.Violations), rep.Took.Round(time.Millisecond))
	if !rep.OK() {
		return idgraph.Errorf(idgraph.ECONFLICT, "check found %d violations; 'idgraph rebuild' recomputes profiles from the edges", len(rep.Violations))
	}
	return nil
}

// runRebuild recomputes every profile of a space from the edges, keeping
// the surviving profile ids where it can.
func runRebuild(ctx context.Context, c *cli.CLI, args []string) error {
	store, space, done, err := openSpace(ctx, c, "rebuild", args)
	if err != nil {
		return err
	}
	defer done()
	rep, err := store.Rebuild(ctx, space, progress(c.Stderr))
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "space %s: %d components; %d profiles kept, %d created, %d retired; %d identifiers moved (%s)\n",
		space.ID, rep.Components, rep.Kept, rep.Created, rep.Removed, rep.Moved, rep.Took.Round(time.Millisecond))
	return nil
}

// openSpace parses -space, connects and migrates, and returns the store's
// check and rebuild, the space and a function that closes the connection.
func openSpace(ctx context.Context, c *cli.CLI, name string, args []string) (idgraph.IntegrityService, idgraph.Space, func(), error) {
	fs := c.Flags(name, "[-space ID]")
	spaceID := fs.String("space", "default", "the space to "+name)
	if err := c.Parse(fs, args); err != nil {
		return nil, idgraph.Space{}, nil, err
	}
	return openStore(ctx, c, *spaceID)
}

// openStore loads the configuration, connects and migrates, and returns
// the store, the configured space named spaceID (a usage error when there
// is none) and a function that closes the connection.
func openStore(ctx context.Context, c *cli.CLI, spaceID string) (*graph.Store, idgraph.Space, func(), error) {
	cfg, err := c.Config()
	if err != nil {
		return nil, idgraph.Space{}, nil, err
	}
	space, err := c.Space(cfg, spaceID)
	if err != nil {
		return nil, idgraph.Space{}, nil, err
	}
	db, err := graph.Open(ctx, cfg.Graph())
	if err != nil {
		return nil, idgraph.Space{}, nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		_ = db.Close(context.WithoutCancel(ctx))
		return nil, idgraph.Space{}, nil, err
	}
	return graph.NewStore(db), space, func() { _ = db.Close(context.WithoutCancel(ctx)) }, nil
}

// progress prints each step of a long operation on w.
func progress(w io.Writer) func(idgraph.Progress) {
	return func(p idgraph.Progress) {
		if p.Total > 0 {
			fmt.Fprintf(w, "%s: %d/%d\n", p.Stage, p.Done, p.Total)
			return
		}
		fmt.Fprintf(w, "%s: %d\n", p.Stage, p.Done)
	}
}
