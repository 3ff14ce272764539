package main

import (
	"context"
	"fmt"

	"github.com/idgraph/idgraph/internal/cli"
	"github.com/idgraph/idgraph/internal/config"
)

// runInit writes a spaces file with the default space and fresh keys, and
// prints the keys: make run keeps them in a git-ignored file, so SDKs keep
// working across restarts; -force rotates them.
func runInit(_ context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("init", "-out FILE [-force]")
	out := fs.String("out", "", "the spaces file to write (mode 0600)")
	force := fs.Bool("force", false, "replace an existing file: new keys, the old ones stop working at the next start")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return cli.UsageErrorf("init: -out FILE is required")
	}
	writeKey, token, err := config.WriteDefaultSpaces(*out, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, `wrote %s: space "default"
  write key (HTTP Basic username for POST /v1/...):      %s
  access token (HTTP Basic username for the Profile API): %s
`, *out, writeKey, token)
	return nil
}
