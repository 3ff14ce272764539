package main

import (
	"context"
	"fmt"

	"github.com/idgraph/idgraph/cypher"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/cli"
)

// runMigrate applies the schema migrations the graph has not recorded and
// prints each one applied, or "schema up to date".
func runMigrate(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("migrate", "")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	cfg, err := c.Config()
	if err != nil {
		return err
	}
	db, err := graph.Open(ctx, cfg.Graph())
	if err != nil {
		return err
	}
	defer db.Close(context.WithoutCancel(ctx))

	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(c.Stdout, "schema up to date")
		return nil
	}
	names := map[int]string{}
	for _, m := range cypher.Migrations() {
		names[m.Version] = m.String()
	}
	for _, v := range applied {
		fmt.Fprintf(c.Stdout, "applied %s\n", names[v])
	}
	return nil
}
