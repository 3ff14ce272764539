package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestCheckAndRebuildCoverEverySpace: without -space, check and rebuild
// work on every configured space and report each (before, they looked
// for a space called "default" and failed when the file named others).
func TestCheckAndRebuildCoverEverySpace(t *testing.T) {
	env := testEnv(t)
	a, b := graphtest.Space(t), graphtest.Space(t)
	yaml := fmt.Sprintf(`spaces:
  - id: %[1]s
    access_tokens: [tok_%[1]s]
    sources: [{id: web, write_key: wk_%[1]s}]
  - id: %[2]s
    access_tokens: [tok_%[2]s]
    sources: [{id: web, write_key: wk_%[2]s}]
`, a, b)
	path := filepath.Join(t.TempDir(), "idgraph.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env["IDGRAPH_CONFIG"] = path
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	for _, cmd := range []string{"check", "rebuild"} {
		code, out, errOut := idgraphCmd(t, environ, cmd)
		if code != 0 || !strings.Contains(out, "space "+a+":") || !strings.Contains(out, "space "+b+":") {
			t.Errorf("%s without -space: exit %d, want 0 and a line for each space\n%s%s", cmd, code, out, errOut)
		}
	}
	if code, _, errOut := idgraphCmd(t, environ, "check", "-space", "nope"); code != 2 || !strings.Contains(errOut, `no space "nope"`) {
		t.Errorf("check -space nope: exit %d, %s; want 2 naming the space", code, errOut)
	}
}
