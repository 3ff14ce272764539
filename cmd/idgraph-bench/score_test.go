package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/internal/cli"
)

// TestScoreComparesBothSettings: score prints the rules' precision and
// recall with shared identifiers on and off, and plain components', for
// the noise asked for; with none, every partition is exact.
func TestScoreComparesBothSettings(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := program.Run(context.Background(), []string{"score", "-events", "3000", "-noise", "none"}, nil, &stdout, &stderr)
	if code := cli.ExitCode("idgraph-bench", err, &stderr); code != 0 {
		t.Fatalf("score: exit %d, %v\n%s", code, err, &stderr)
	}
	out := stdout.String()
	for _, want := range []string{"shared on (P / R)", "segment (P / R)", "components (P / R)",
		"none             1.00000 / 1.00000   1.00000 / 1.00000   1.00000 / 1.00000"} {
		if !strings.Contains(out, want) {
			t.Errorf("score printed\n%s\nwant it to contain %q", out, want)
		}
	}
	err = program.Run(context.Background(), []string{"score", "-noise", "smoke"}, nil, &stdout, &stderr)
	if code := cli.ExitCode("idgraph-bench", err, &stderr); code != 2 {
		t.Errorf("score -noise smoke: exit %d, want 2 (usage)", code)
	}
}
