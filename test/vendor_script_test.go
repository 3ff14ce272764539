package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVendorScriptChecksCytoscape runs scripts/vendor check: npm fetches the
// pinned Cytoscape.js release, and the committed ui/vendor/ files must be
// its files. A copy of the layout with one byte changed must fail the check.
func TestVendorScriptChecksCytoscape(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Fatal("no npm on PATH: make test (scripts/test) installs it; or apt-get install npm")
	}
	check := func(root string) (string, error) {
		cmd := exec.Command(filepath.Join(root, "scripts", "vendor"), "check")
		cmd.Env = append(os.Environ(), "npm_config_cache="+t.TempDir())
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := check(".."); err != nil || !strings.Contains(out, "matches cytoscape@") {
		t.Fatalf("scripts/vendor check: %v\n%s", err, out)
	}

	root := t.TempDir()
	for _, f := range []string{"scripts/vendor", "ui/vendor/cytoscape.min.js", "ui/vendor/cytoscape.LICENSE"} {
		data, err := os.ReadFile(filepath.Join("..", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "ui/vendor/cytoscape.min.js" {
			data = append(data, ' ')
		}
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, err := check(root)
	if err == nil || !strings.Contains(out, "ui/vendor/cytoscape.min.js differs") || strings.Contains(out, "LICENSE differs") {
		t.Errorf("check of a changed cytoscape.min.js: %v\n%s\nwant a failure naming that file alone", err, out)
	}
}
