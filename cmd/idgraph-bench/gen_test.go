package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/cli"
)

func TestGenWritesARepeatableWorkload(t *testing.T) {
	gen := func(dir string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		err := program.Run(context.Background(), []string{"gen", "-events", "2000", "-seed", "3", "-out", dir, "-noise", "all,-replay"}, nil, &stdout, &stderr)
		if code := cli.ExitCode("idgraph-bench", err, &stderr); code != 0 {
			t.Fatalf("gen: exit %d, %v\n%s", code, err, &stderr)
		}
		return stdout.String()
	}
	a, b := t.TempDir(), t.TempDir()
	out := gen(a)
	gen(b)
	for _, want := range []string{"wrote ", "events:      2000 (seed 3", "replay", "off", "shared-device"} {
		if !strings.Contains(out, want) {
			t.Errorf("gen printed %q, want it to contain %q", out, want)
		}
	}
	for _, f := range []string{bench.EventsFile, bench.TruthFile, bench.SummaryFile} {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, f))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s: %d bytes, the same in both runs: %v; want the same non-empty file", f, len(x), bytes.Equal(x, y))
		}
	}
	if n := bytes.Count(mustRead(t, filepath.Join(a, bench.EventsFile)), []byte("\n")); n != 2000 {
		t.Errorf("%s has %d lines, want 2000", bench.EventsFile, n)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGenAndBenchRefuseBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"gen", "-events", "0", "-out", dir}, "-events 0"},
		{[]string{"gen", "-events", "6000000", "-out", dir}, "want 1 to 5000000"},
		{[]string{"gen", "-events", "10"}, "-out DIR is required"},
		{[]string{"gen", "-noise", "telepathy", "-out", dir}, `unknown noise kind "telepathy"`},
		{[]string{"gen", "-out", dir, "extra"}, `unexpected argument "extra"`},
		{[]string{"bench", "-noise", "all,-bogus"}, `unknown noise kind "bogus"`},
		{[]string{"bench", "-events", "-5"}, "-events -5"},
		{[]string{"bench", "-quick", "extra"}, `unexpected argument "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		err := program.Run(context.Background(), tc.args, nil, &stdout, &stderr)
		if code := cli.ExitCode("idgraph-bench", err, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, &stderr, tc.want)
		}
	}
}

// TestBenchFailsFastWithoutNeo4j checks that bench reports an unreachable
// database at once and writes no report.
func TestBenchFailsFastWithoutNeo4j(t *testing.T) {
	dir := t.TempDir()
	out, js := filepath.Join(dir, "B.md"), filepath.Join(dir, "b.json")
	// An idgraph binary to name: bench checks that it exists before it
	// connects, and never starts it when the database is unreachable.
	binary := filepath.Join(dir, "idgraph")
	if err := os.WriteFile(binary, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := program.Run(context.Background(), []string{"bench", "-quick", "-binary", binary, "-out", out, "-json", js, "-dir", filepath.Join(dir, "work")},
		[]string{"NEO4J_URI=bolt://127.0.0.1:1", "NEO4J_PASSWORD=x"}, &stdout, &stderr)
	if code := cli.ExitCode("idgraph-bench", err, &stderr); code != 1 || !strings.Contains(stderr.String(), "neo4j") {
		t.Errorf("exit %d, stderr %q; want 1 and a message about neo4j", code, &stderr)
	}
	for _, f := range []string{out, js} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s written by a run that never started", f)
		}
	}
}

// TestBenchFromWritesTheRecordedRun checks that bench -from writes the
// Markdown of a recorded run without running anything.
func TestBenchFromWritesTheRecordedRun(t *testing.T) {
	dir := t.TempDir()
	js, out := filepath.Join(dir, "bench.json"), filepath.Join(dir, "B.md")
	rep := &bench.Report{Mode: "full", Figures: []bench.Figure{{Key: "k", Section: "Ingest", Name: "recorded", Value: 1234, Unit: "events/s", Method: "m"}}}
	if err := rep.WriteJSONFile(js); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := program.Run(context.Background(), []string{"bench", "-from", js, "-out", out}, []string{"NEO4J_URI=bolt://127.0.0.1:1"}, &stdout, &stderr)
	if code := cli.ExitCode("idgraph-bench", err, &stderr); code != 0 {
		t.Fatalf("bench -from: exit %d, %v\n%s", code, err, &stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "| Ingest: recorded | 1,234 events/s |") {
		t.Errorf("%s lacks the recorded figure:\n%s", out, b)
	}
}
