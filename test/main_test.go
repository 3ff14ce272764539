// Package test holds end-to-end tests: they build the real idgraph binary,
// start it against the test database and talk to it over HTTP.
package test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is the idgraph binary TestMain builds for every test of the package.
var binary string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "idgraph-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "idgraph")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=e2e", "-o", binary,
		"github.com/idgraph/idgraph/cmd/idgraph")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/idgraph: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}
