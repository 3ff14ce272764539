package idgraph_test

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/idgraph/idgraph"

// TestRootIsTheDomainAlone checks the layout STYLE.md asks for: the root
// package imports the standard library and the YAML library only, and no
// file of it opens files or sockets.
func TestRootIsTheDomainAlone(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	io := []string{"os", "os/exec", "io/fs", "io/ioutil", "net", "net/http", "syscall", "path/filepath"}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			std := !strings.Contains(strings.Split(path, "/")[0], ".")
			switch {
			case path == "github.com/goccy/go-yaml":
			case !std:
				t.Errorf("%s imports %s: the domain imports the standard library and the YAML library only", f, path)
			case slices.Contains(io, path):
				t.Errorf("%s imports %s: no file of the domain opens files or sockets", f, path)
			}
		}
	}
}

// TestPackageDependencies checks who may import whom: the service binary
// carries no benchmark, api never reaches graph, graph never reaches api, webhook reaches
// neither.
func TestPackageDependencies(t *testing.T) {
	deps := func(pkg string) []string {
		t.Helper()
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		return strings.Fields(string(out))
	}
	forbidden := map[string][]string{
		"./cmd/idgraph": {module + "/internal/bench", module + "/internal/graphtest"},
		"./api":         {module + "/graph", module + "/internal/bench"},
		"./graph":       {module + "/api", module + "/ingest", module + "/internal/bench"},
		"./ingest":      {module + "/api", module + "/graph"},
		"./webhook":     {module + "/api", module + "/graph", module + "/ingest"},
	}
	for pkg, bad := range forbidden {
		got := deps(pkg)
		for _, b := range bad {
			if slices.Contains(got, b) {
				t.Errorf("%s depends on %s", pkg, b)
			}
		}
	}
}
