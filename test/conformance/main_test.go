// Package conformance drives real tracking SDKs against the real idgraph
// binary: Segment's Node, Go and Python libraries and RudderStack's Node SDK
// each send the Jane Doe story (test/testdata/seed) and more through their
// ordinary API, and the profiles that result are checked exactly through the
// Profile API. Each client also meets a Neo4j outage (idgraph answers 503
// with Retry-After), retries, and its events land once.
//
// The Node and Python SDKs are installed by test/conformance/install, which
// scripts/test runs before go test; the Go library is a module dependency.
package conformance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is the idgraph binary TestMain builds for every test.
var binary string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "idgraph-conformance-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "conformance: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "idgraph")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=conformance", "-o", binary,
		"github.com/idgraph/idgraph/cmd/idgraph")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "conformance: go build ./cmd/idgraph: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}
