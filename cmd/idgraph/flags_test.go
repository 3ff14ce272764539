package main

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args     []string
		wantArgs []string
		wantOn   bool
	}{
		{[]string{"a:1", "b:2"}, []string{"a:1", "b:2"}, false},
		{[]string{"-on", "a:1", "b:2"}, []string{"a:1", "b:2"}, true},
		{[]string{"a:1", "-on", "b:2"}, []string{"a:1", "b:2"}, true},
		{[]string{"a:1", "b:2", "-on"}, []string{"a:1", "b:2"}, true},
		// After --, a value that looks like a flag is an argument.
		{[]string{"a:1", "--", "-on", "b:2"}, []string{"a:1", "-on", "b:2"}, false},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		on := fs.Bool("on", false, "")
		got, err := parseInterspersed(fs, tt.args)
		if err != nil || !slices.Equal(got, tt.wantArgs) || *on != tt.wantOn {
			t.Errorf("parseInterspersed(%q) = %q, -on %v, %v; want %q, -on %v", tt.args, got, *on, err, tt.wantArgs, tt.wantOn)
		}
	}
}
