// Command idgraph is the identity resolution service: one binary with
// subcommands (serve, migrate, load, check, rebuild, split, link, replay, health,
// migrate-accounts, init, version and help), configured by environment
// variables. The benchmark is a binary of its own, cmd/idgraph-bench.
package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/idgraph/idgraph/internal/cli"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

// program is the dispatch table, in the order usage lists the commands.
var program = cli.Program{
	Name: "idgraph",
	About: `idgraph resolves identities: Segment-format events in, a Neo4j identity graph
and customer profiles out.`,
	Commands: []cli.Command{
		{Name: "serve", Summary: "apply the schema, then serve the HTTP API until SIGINT or SIGTERM", Run: runServe},
		{Name: "migrate", Summary: "apply the schema and print what was applied", Run: runMigrate},
		{Name: "load", Summary: "load NDJSON events from a file or standard input", Run: runLoad},
		{Name: "check", Summary: "verify the identity graph's invariants; exit 1 if any is broken", Run: runCheck},
		{Name: "rebuild", Summary: "recompute every profile from the edges", Run: runRebuild},
		{Name: "split", Summary: "split a profile by identifiers, links, apart or event; -preview writes nothing", Run: runSplit},
		{Name: "link", Summary: "record, list or remove never and always decisions between two identifiers", Run: runLink},
		{Name: "replay", Summary: "simulate candidate rules over a space's stored events and print the difference; -promote makes them active", Run: runReplay},
		{Name: "migrate-accounts", Summary: "move the group_id identifiers of older versions out of user profiles into the accounts collection", Run: runMigrateAccounts},
		{Name: "init", Summary: "write a spaces file with the default space and fresh keys (make run keeps one)", Run: runInit},
		{Name: "health", Summary: "print a space's health report: sizes, hubs, refusals, merges per hour, merge storms", Run: runHealth},
		{Name: "version", Summary: "print the version", Run: runVersion},
	},
}

func main() { cli.Main(program) }

func runVersion(_ context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("version", "")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "idgraph %s (%s)\n", version, runtime.Version())
	return nil
}
