package main

import (
	"encoding/json"
	"errors"
	"flag"
	"io"
	"strings"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/cli"
)

// The flags of the correction commands. Identifier values may hold commas,
// colons and equals signs, so a flag takes one identifier and repeats
// rather than taking a list.

// identifierFlag is a flag holding one identifier as type:value.
type identifierFlag struct {
	id  idgraph.Identifier
	set bool
}

func (f *identifierFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.id.String()
}

func (f *identifierFlag) Set(s string) error {
	id, err := parseIdentifier(s)
	f.id, f.set = id, err == nil
	return err
}

// identifierList is a repeatable flag: each use adds one identifier.
type identifierList []idgraph.Identifier

func (l *identifierList) String() string {
	if l == nil {
		return ""
	}
	s := make([]string, len(*l))
	for i, id := range *l {
		s[i] = id.String()
	}
	return strings.Join(s, " ")
}

func (l *identifierList) Set(s string) error {
	id, err := parseIdentifier(s)
	if err == nil {
		*l = append(*l, id)
	}
	return err
}

// parseIdentifier parses type:value with the message the HTTP API gives.
func parseIdentifier(s string) (idgraph.Identifier, error) {
	id, err := idgraph.ParseIdentifier(s)
	if err != nil {
		return id, errors.New("want an identifier as type:value")
	}
	return id, nil
}

// defaultActor names who corrects from the command line: cli:$USER, from
// the environment the CLI was given.
func defaultActor(env map[string]string) string {
	for _, k := range []string{"USER", "LOGNAME"} {
		if u := strings.TrimSpace(env[k]); u != "" {
			return "cli:" + u
		}
	}
	return "cli"
}

// parseInterspersed parses fs from args, flags and arguments in any order
// (a "--" ends the flags), and returns the arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, cli.UsageErrorf("%s: %v", fs.Name(), err)
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		rest, args = append(rest, left[0]), left[1:]
	}
}

// setFlags returns the names of the flags the command line set.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// writeJSON writes v as indented JSON: the HTTP API's answer, for scripts.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
