package main

import (
	"bytes"
	"context"
	"github.com/idgraph/idgraph/internal/cli"
	"github.com/idgraph/idgraph/internal/config"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name         string
		args         []string
		wantCode     int
		wantStdout   string // a regular expression, when set
		wantStderr   string // a substring, when set
		wantUsageOn  string // "stdout" or "stderr", when the usage is expected
		wantNoOutput bool
	}{
		{name: "version", args: []string{"version"}, wantCode: 0,
			wantStdout: `^idgraph dev \(` + regexp.QuoteMeta(runtime.Version()) + `\)\n$`},
		{name: "help", args: []string{"help"}, wantCode: 0, wantUsageOn: "stdout"},
		{name: "-h", args: []string{"-h"}, wantCode: 0, wantUsageOn: "stdout"},
		{name: "--help", args: []string{"--help"}, wantCode: 0, wantUsageOn: "stdout"},
		{name: "no subcommand", args: nil, wantCode: 2, wantUsageOn: "stderr", wantStderr: "no subcommand"},
		{name: "unknown subcommand", args: []string{"frobnicate"}, wantCode: 2, wantUsageOn: "stderr",
			wantStderr: `unknown subcommand "frobnicate"`},
		{name: "bad flag", args: []string{"serve", "-bogus"}, wantCode: 2,
			wantStderr: "usage: idgraph serve"},
		{name: "bad flag on migrate", args: []string{"migrate", "-x"}, wantCode: 2,
			wantStderr: "usage: idgraph migrate"},
		{name: "stray argument", args: []string{"version", "extra"}, wantCode: 2,
			wantStderr: `unexpected argument "extra"`},
		{name: "flag help", args: []string{"serve", "-h"}, wantCode: 0, wantStderr: "-addr"},
		{name: "bad configuration", args: []string{"migrate"}, wantCode: 1,
			wantStderr: "LOG_LEVEL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			env := []string{"LOG_LEVEL=loud"} // only the bad-configuration case reads it
			err := program.Run(context.Background(), tt.args, env, &stdout, &stderr)
			code := cli.ExitCode("idgraph", err, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (error %v; stderr %s)", code, tt.wantCode, err, &stderr)
			}
			if tt.wantStdout != "" && !regexp.MustCompile(tt.wantStdout).MatchString(stdout.String()) {
				t.Errorf("stdout = %q, want it to match %q", &stdout, tt.wantStdout)
			}
			if tt.wantStderr != "" && !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", &stderr, tt.wantStderr)
			}
			switch tt.wantUsageOn {
			case "stdout":
				checkUsage(t, "stdout", stdout.String())
			case "stderr":
				checkUsage(t, "stderr", stderr.String())
				if stdout.Len() > 0 {
					t.Errorf("stdout = %q, want nothing when the usage goes to stderr", &stdout)
				}
			}
		})
	}
}

// checkUsage checks that out is the usage: every subcommand and every
// environment variable is listed.
func checkUsage(t *testing.T, where, out string) {
	t.Helper()
	if !strings.Contains(out, "Usage:") {
		t.Errorf("%s holds no usage: %q", where, out)
		return
	}
	for _, cmd := range program.Commands {
		if !strings.Contains(out, "  "+cmd.Name+" ") {
			t.Errorf("usage on %s does not list the subcommand %q", where, cmd.Name)
		}
	}
	for _, v := range config.Vars {
		if !strings.Contains(out, v.Name) {
			t.Errorf("usage on %s does not list the variable %s", where, v.Name)
		}
	}
}
