// Command idgraph is the identity resolution service: one binary with
// subcommands (serve, migrate, version, help), configured by environment
// variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/idgraph/idgraph"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal ends the process at once
	}()
	err := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// command is one subcommand. To add one, write its run function in a file
// of its own (load.go: runLoad) and add a line to commands.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, c *cli, args []string) error
}

// commands is the dispatch table, in the order usage lists them.
func commands() []command {
	return []command{
		{"serve", "apply the schema, then serve the HTTP API until SIGINT or SIGTERM", runServe},
		{"migrate", "apply the schema and print what was applied", runMigrate},
		{"load", "load NDJSON events from a file or standard input", runLoad},
		{"check", "verify the identity graph's invariants; exit 1 if any is broken", runCheck},
		{"rebuild", "recompute every profile from the edges", runRebuild},
		{"gen", "write a benchmark workload: NDJSON events with their ground truth", runGen},
		{"bench", "benchmark ingest, lookups, explanations, check, rebuild, accuracy and memory", runBench},
		{"version", "print the version", runVersion},
		{"help", "print this help", runHelp},
	}
}

// cli is what every subcommand gets: its output streams and the environment.
type cli struct {
	stdout, stderr io.Writer
	env            map[string]string
}

// run runs the subcommand named by args[0]. environ is the environment as
// KEY=VALUE pairs; tests pass their own.
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	c := &cli{stdout: stdout, stderr: stderr, env: envMap(environ)}
	if len(args) == 0 {
		usage(stderr)
		return usageErrorf("no subcommand")
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	}
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd.run(ctx, c, args[1:])
		}
	}
	usage(stderr)
	return usageErrorf("unknown subcommand %q", args[0])
}

// errUsage marks a command line that makes no sense: exit status 2.
var errUsage = errors.New("usage")

func usageErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

// exitCode reports err on w and returns the process's exit status: 0 for
// success or help, 2 for a bad command line, 1 for any other failure.
func exitCode(err error, w io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(w, "idgraph: %s\n", strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	}
	var e *idgraph.Error
	if errors.As(err, &e) && len(e.Problems) > 0 {
		fmt.Fprintf(w, "idgraph: %s:\n", e.Message)
		for _, p := range e.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
		return 1
	}
	fmt.Fprintf(w, "idgraph: %s\n", idgraph.ErrorMessage(err))
	if idgraph.ErrorCode(err) == idgraph.EINTERNAL {
		fmt.Fprintf(w, "  cause: %v\n", err)
	}
	return 1
}

// flags returns a flag set for a subcommand whose usage names synopsis.
func (c *cli) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "usage: idgraph %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses a subcommand's arguments: a bad flag or a stray argument is
// a usage error (the flag package has printed the usage), -h is help.
func (c *cli) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageErrorf("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// config loads and validates the configuration from the environment.
func (c *cli) config() (Config, error) {
	cfg, err := LoadConfig(c.env)
	if err != nil {
		var e *idgraph.Error
		if errors.As(err, &e) && len(e.Problems) > 0 {
			e.Message = "invalid configuration"
		}
		return cfg, err
	}
	return cfg, nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, `idgraph resolves identities: Segment-format events in, a Neo4j identity graph
and customer profiles out.

Usage:
  idgraph <command> [flags]

Commands:
`)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, cmd := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", cmd.name, cmd.summary)
	}
	tw.Flush()
	fmt.Fprint(w, "\nEnvironment:\n")
	for _, v := range envVars {
		def := v.def
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.name, def, v.meaning)
	}
	tw.Flush()
	fmt.Fprint(w, "\nRun 'idgraph <command> -h' for the flags of a command.\n")
}

func runHelp(_ context.Context, c *cli, args []string) error {
	usage(c.stdout)
	return nil
}

func runVersion(_ context.Context, c *cli, args []string) error {
	fs := c.flags("version", "")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "idgraph %s (%s)\n", version, runtime.Version())
	return nil
}

// envMap turns KEY=VALUE pairs into a map; a later pair wins.
func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
