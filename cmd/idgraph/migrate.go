package main

import (
	"context"
	"fmt"

	"github.com/idgraph/idgraph/cypher"
	"github.com/idgraph/idgraph/graph"
)

// runMigrate applies the schema migrations the graph has not recorded and
// prints each one applied, or "schema up to date".
func runMigrate(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("migrate", "")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	cfg, err := c.config()
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
		fmt.Fprintln(c.stdout, "schema up to date")
		return nil
	}
	names := map[int]string{}
	for _, m := range cypher.Migrations() {
		names[m.Version] = m.String()
	}
	for _, v := range applied {
		fmt.Fprintf(c.stdout, "applied %s\n", names[v])
	}
	return nil
}
