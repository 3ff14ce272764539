// Package cli is the command-line scaffold both of idgraph's binaries share
// (cmd/idgraph, the service, and cmd/idgraph-bench, the benchmark): a table
// of subcommands, their flags, the environment, and exit codes that say
// what went wrong.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/config"
)

// Command is one subcommand. To add one, write its run function in a file
// of its own and add it to the program's table.
type Command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, c *CLI, args []string) error
}

// Program is one binary: its name, what it does (the usage's first lines)
// and its subcommands, in the order the usage lists them.
type Program struct {
	Name     string
	About    string
	Commands []Command
}

// CLI is what every subcommand gets: its output streams and the environment.
type CLI struct {
	Prog           string
	Stdout, Stderr io.Writer
	Env            map[string]string
}

// Main runs p with the process's arguments and environment under a context
// that SIGINT and SIGTERM cancel (a second signal ends the process at once),
// and exits with Run's status.
func Main(p Program) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	err := p.Run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	os.Exit(ExitCode(p.Name, err, os.Stderr))
}

// Run runs the subcommand named by args[0]. environ is the environment as
// KEY=VALUE pairs; tests pass their own.
func (p Program) Run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	c := &CLI{Prog: p.Name, Stdout: stdout, Stderr: stderr, Env: EnvMap(environ)}
	if len(args) == 0 {
		p.Usage(stderr)
		return UsageErrorf("no subcommand")
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	}
	if name == "help" {
		p.Usage(stdout)
		return nil
	}
	for _, cmd := range p.Commands {
		if cmd.Name == name {
			return cmd.Run(ctx, c, args[1:])
		}
	}
	p.Usage(stderr)
	return UsageErrorf("unknown subcommand %q", args[0])
}

// Usage writes the program's usage: its commands and the environment.
func (p Program) Usage(w io.Writer) {
	fmt.Fprintf(w, "%s\n\nUsage:\n  %s <command> [flags]\n\nCommands:\n", p.About, p.Name)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, cmd := range p.Commands {
		fmt.Fprintf(tw, "  %s\t%s\n", cmd.Name, cmd.Summary)
	}
	fmt.Fprintf(tw, "  %s\t%s\n", "help", "print this help")
	tw.Flush()
	fmt.Fprint(w, "\nEnvironment:\n")
	for _, v := range config.Vars {
		def := v.Default
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, def, v.Meaning)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun '%s <command> -h' for the flags of a command.\n", p.Name)
}

// errUsage marks a command line that makes no sense: exit status 2.
var errUsage = errors.New("usage")

// UsageErrorf returns an error for a command line that makes no sense: exit
// status 2.
func UsageErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

// ExitCode reports err on w and returns the process's exit status: 0 for
// success or help, 2 for a bad command line, 1 for any other failure.
func ExitCode(prog string, err error, w io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(w, "%s: %s\n", prog, strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	}
	var e *idgraph.Error
	if errors.As(err, &e) && len(e.Problems) > 0 {
		fmt.Fprintf(w, "%s: %s:\n", prog, e.Message)
		for _, p := range e.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
		return 1
	}
	fmt.Fprintf(w, "%s: %s\n", prog, idgraph.ErrorMessage(err))
	if code := idgraph.ErrorCode(err); code == idgraph.EINTERNAL || code == idgraph.EUNAVAILABLE {
		fmt.Fprintf(w, "  cause: %v\n", err)
	}
	return 1
}

// Flags returns a flag set for a subcommand whose usage names synopsis.
func (c *CLI) Flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.Stderr, "usage: %s %s %s\n", c.Prog, name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses a subcommand's arguments: a bad flag or a stray argument is
// a usage error (the flag package has printed the usage), -h is help.
func (c *CLI) Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return UsageErrorf("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return UsageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// Config loads and validates the configuration from the environment.
func (c *CLI) Config() (config.Config, error) {
	cfg, err := config.Load(c.Env)
	if err != nil {
		var e *idgraph.Error
		if errors.As(err, &e) && len(e.Problems) > 0 {
			e.Message = "invalid configuration"
		}
		return cfg, err
	}
	return cfg, nil
}

// Space returns the configured space named id; a name the configuration
// lacks is a usage error.
func (c *CLI) Space(cfg config.Config, id string) (idgraph.Space, error) {
	sp, err := cfg.Space(id)
	if idgraph.ErrorCode(err) == idgraph.ENOTFOUND {
		return sp, UsageErrorf("%s", idgraph.ErrorMessage(err))
	}
	return sp, err
}

// EnvMap turns KEY=VALUE pairs into a map; a later pair wins.
func EnvMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
