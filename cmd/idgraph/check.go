package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/cli"
	"github.com/idgraph/idgraph/internal/config"
)

// runCheck verifies the graph's invariants for one space (-space) or every
// configured space by recomputing their components with Cypher; it prints
// what is wrong, space by space, and fails if anything is.
func runCheck(ctx context.Context, c *cli.CLI, args []string) error {
	store, spaces, done, err := openSpaces(ctx, c, "check", args)
	if err != nil {
		return err
	}
	defer done()
	broken := 0
	for _, space := range spaces {
		rep, err := store.Check(ctx, space, progress(c.Stderr))
		if err != nil {
			return err
		}
		for _, v := range rep.Violations {
			fmt.Fprintf(c.Stdout, "%s: %s: %s\n", space.ID, v.Kind, v.Detail)
		}
		fmt.Fprintf(c.Stdout, "space %s: %d profiles, %d identifiers, %d components, %d violations (%s)\n",
			space.ID, rep.Profiles, rep.Identifiers, rep.Components, len(rep.Violations), rep.Took.Round(time.Millisecond))
		broken += len(rep.Violations)
	}
	if broken > 0 {
		return idgraph.Errorf(idgraph.ECONFLICT, "check found %d violations; 'idgraph rebuild' recomputes profiles from the edges", broken)
	}
	return nil
}

// runRebuild recomputes every profile of one space (-space) or of every
// configured space from the edges, keeping the surviving profile ids where
// it can.
func runRebuild(ctx context.Context, c *cli.CLI, args []string) error {
	store, spaces, done, err := openSpaces(ctx, c, "rebuild", args)
	if err != nil {
		return err
	}
	defer done()
	for _, space := range spaces {
		rep, err := store.Rebuild(ctx, space, progress(c.Stderr))
		if err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "space %s: %d components; %d profiles kept, %d created, %d retired; %d identifiers moved; %d links cut to keep never decisions (%s)\n",
			space.ID, rep.Components, rep.Kept, rep.Created, rep.Removed, rep.Moved, rep.Cut, rep.Took.Round(time.Millisecond))
	}
	return nil
}

// openSpaces parses -space, connects and migrates, and returns the store's
// check and rebuild, the space named by -space or, without it, every
// configured space, and a function that closes the connection.
func openSpaces(ctx context.Context, c *cli.CLI, name string, args []string) (idgraph.IntegrityService, []idgraph.Space, func(), error) {
	fs := c.Flags(name, "[-space ID]")
	spaceID := fs.String("space", "", "the space to "+name+" (default: every configured space)")
	if err := c.Parse(fs, args); err != nil {
		return nil, nil, nil, err
	}
	return openStores(ctx, c, *spaceID)
}

// openStores is openStore for the space spaceID or, when it is "", every
// configured space.
func openStores(ctx context.Context, c *cli.CLI, spaceID string) (*graph.Store, []idgraph.Space, func(), error) {
	if spaceID != "" {
		store, space, done, err := openStore(ctx, c, spaceID)
		return store, []idgraph.Space{space}, done, err
	}
	cfg, err := c.Config()
	if err != nil {
		return nil, nil, nil, err
	}
	all, err := cfg.Spaces(nil)
	if err != nil {
		return nil, nil, nil, err
	}
	store, done, err := openGraph(ctx, cfg)
	return store, all.All(), done, err
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
	store, done, err := openGraph(ctx, cfg)
	return store, space, done, err
}

// openGraph connects to Neo4j and applies the schema, and returns the store
// and a function that closes the connection.
func openGraph(ctx context.Context, cfg config.Config) (*graph.Store, func(), error) {
	db, err := graph.Open(ctx, cfg.Graph())
	if err != nil {
		return nil, nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		_ = db.Close(context.WithoutCancel(ctx))
		return nil, nil, err
	}
	return graph.NewStore(db), func() { _ = db.Close(context.WithoutCancel(ctx)) }, nil
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
