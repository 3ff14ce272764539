package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/internal/cli"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// spaceEnv writes an IDGRAPH_CONFIG with one space of its own for the test
// and returns the environment (as KEY=VALUE pairs) and the space's id.
func spaceEnv(t *testing.T) ([]string, string) {
	t.Helper()
	return spaceEnvWith(t, "")
}

// spaceEnvWith is spaceEnv with rules, YAML lines of the space's mapping
// (indented by four spaces), added to its configuration.
func spaceEnvWith(t *testing.T, rules string) ([]string, string) {
	t.Helper()
	env := testEnv(t)
	space := graphtest.Space(t)
	yaml := fmt.Sprintf(`spaces:
  - id: %s
    access_tokens: [tok_%s]
    sources:
      - {id: segkicks, name: "Mobile (segkicks)", write_key: wk_kicks_%s}
      - {id: segruns, name: "Mobile (segruns)", write_key: wk_runs_%s}
%s`, space, space, space, space, rules)
	path := filepath.Join(t.TempDir(), "idgraph.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env["IDGRAPH_CONFIG"] = path
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	return environ, space
}

// idgraphCmd runs the command line and returns its exit status and output.
func idgraphCmd(t *testing.T, environ []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := program.Run(context.Background(), args, environ, &out, &errOut)
	code = cli.ExitCode("idgraph", err, &errOut)
	return code, out.String(), errOut.String()
}

func TestLoadCheckAndRebuildCommands(t *testing.T) {
	environ, space := spaceEnv(t)
	seed, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "seed", "1-anonymous-to-known.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "events.ndjson")
	// Line 3 is not JSON and line 5 misses both ids: both are reported by
	// number and the other events load.
	lines := strings.Split(strings.TrimSpace(string(seed)), "\n")
	body := strings.Join(lines[:2], "\n") + "\n{not json\n" + lines[2] + "\n" +
		`{"type":"track","event":"E","messageId":"noid"}` + "\n" + strings.Join(lines[3:], "\n") + "\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := idgraphCmd(t, environ, "load", "-space", space, "-source", "segkicks", file)
	if code != 0 {
		t.Fatalf("load: exit %d\n%s%s", code, out, errOut)
	}
	if want := "loaded 6, duplicate 0, invalid 2 (bad lines) from 8 lines"; !strings.Contains(out, want) {
		t.Errorf("load output: got %q, want it to contain %q", out, want)
	}
	for _, want := range []string{"line 3:", "line 5: userId"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("load errors: got %q, want %q", errOut, want)
		}
	}

	code, out, _ = idgraphCmd(t, environ, "load", "-space", space, "-source", "segkicks", file)
	if want := "loaded 0, duplicate 6, invalid 2"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("replayed load: exit %d, got %q, want %q", code, out, want)
	}

	code, out, errOut = idgraphCmd(t, environ, "check", "-space", space)
	if code != 0 || !strings.Contains(out, "1 profiles, 4 identifiers, 1 components, 0 violations") {
		t.Errorf("check: exit %d\n%s%s", code, out, errOut)
	}

	db := graphtest.Open(t)
	if _, err := db.Query(context.Background(), "break", `
		MATCH (i:Identifier {space: $space, type: 'ios.id'})-[r:IN_PROFILE]->() DELETE r`,
		map[string]any{"space": space}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = idgraphCmd(t, environ, "check", "-space", space)
	if code != 1 || !strings.Contains(out, "membership: ios.id:ios_abc123 belongs to 0 profiles") {
		t.Errorf("check of a broken graph: exit %d, want 1\n%s%s", code, out, errOut)
	}

	code, out, errOut = idgraphCmd(t, environ, "rebuild", "-space", space)
	if code != 0 || !strings.Contains(out, "1 identifiers moved") {
		t.Errorf("rebuild: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = idgraphCmd(t, environ, "check", "-space", space); code != 0 {
		t.Errorf("check after rebuild: exit %d\n%s%s", code, out, errOut)
	}
}

func TestLoadCommandLine(t *testing.T) {
	environ, space := spaceEnv(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file", []string{"load", "-space", space}, 2, "want one FILE"},
		{"unknown space", []string{"load", "-space", "nope", "x.ndjson"}, 2, `no space "nope"`},
		{"unknown source", []string{"load", "-space", space, "-source", "nope", "x.ndjson"}, 2, `no source "nope"`},
		{"bad batch", []string{"load", "-batch", "0", "x.ndjson"}, 2, "-batch 0"},
		{"missing file", []string{"load", "-space", space, "/nonexistent.ndjson"}, 1, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := idgraphCmd(t, environ, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.want)
			}
		})
	}
}
