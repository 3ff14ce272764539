package graphtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BuildBinary builds cmd/idgraph into dir, stamped with version (what
// `idgraph version` prints), and returns the binary's path.
func BuildBinary(dir, version string) (string, error) {
	binary := filepath.Join(dir, "idgraph")
	build := exec.Command("go", "build", "-ldflags", "-X main.version="+version, "-o", binary,
		"github.com/idgraph/idgraph/cmd/idgraph")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/idgraph: %v\n%s", err, out)
	}
	return binary, nil
}

// MainWithBinary is the TestMain of a package whose tests drive the real
// idgraph binary: it builds it into a temporary folder, stamped with name,
// sets *binary to its path, runs the tests and removes the folder. It
// returns the exit code for os.Exit.
func MainWithBinary(m *testing.M, name string, binary *string) int {
	dir, err := os.MkdirTemp("", "idgraph-"+name+"-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if *binary, err = BuildBinary(dir, name); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	return m.Run()
}
