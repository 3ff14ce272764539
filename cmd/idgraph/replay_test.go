package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReplayCommand(t *testing.T) {
	environ, space := kioskSpace(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}

	// Bad rules: every problem named by its field, nothing simulated.
	bad := write("bad.yaml", "max_merges: -1\nidentifiers:\n  - {type: android.id, window: hourly, colour: red}\n")
	code, _, errOut := idgraphCmd(t, environ, "replay", "-space", space, "-rules", bad)
	for _, want := range []string{"max_merges", "identifiers[0].window", "identifiers[0].colour"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("bad rules: exit %d, stderr %q, want 1 naming %s", code, errOut, want)
		}
	}
	if code, _, errOut := idgraphCmd(t, environ, "replay", "-space", space); code != 2 || !strings.Contains(errOut, "-rules") {
		t.Errorf("no -rules: exit %d, stderr %q, want 2 naming -rules", code, errOut)
	}

	// The kiosk's device id blocked: the shopper leaves Jane. Without
	// -promote nothing changes.
	rules := write("rules.yaml", "identifiers:\n  - {type: android.id, blocked: [kiosk]}\n")
	code, out, errOut := idgraphCmd(t, environ, "replay", "-space", space, "-rules", rules)
	if code != 0 {
		t.Fatalf("replay: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"6 events replayed", "merges lost        2", "anonymous_id:b1", "is no identifier under the candidate rules", "nothing changed; run again with -promote"} {
		if !strings.Contains(out, want) {
			t.Errorf("replay output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "profiles           3") && !strings.Contains(strings.Join(strings.Fields(out), " "), "profiles 3 4") {
		t.Errorf("replay output: profiles before and after not 3 and 4:\n%s", out)
	}
	if !strings.Contains(errOut, "done: 6/6") {
		t.Errorf("replay progress: %q, want a line per stage ending done: 6/6", errOut)
	}
	if got := profileOf(t, space, "anonymous_id:b1"); !slices.Contains(got, "user_id:jane") {
		t.Errorf("a replay without -promote changed the profiles: %v", got)
	}

	code, out, errOut = idgraphCmd(t, environ, "replay", "-space", space, "-rules", rules, "-promote", "-reason", "the kiosk is shared")
	if code != 0 || !strings.Contains(out, "promoted: rules version 2 of space "+space+" is active") {
		t.Fatalf("replay -promote: exit %d\n%s%s", code, out, errOut)
	}
	if got, want := profileOf(t, space, "anonymous_id:b1"), []string{"anonymous_id:b1"}; !slices.Equal(got, want) {
		t.Errorf("after promoting, the shopper's profile is %v, want %v", got, want)
	}
	if got, want := profileOf(t, space, "user_id:jane"), []string{"email:jane@x.com", "user_id:jane"}; !slices.Equal(got, want) {
		t.Errorf("after promoting, Jane's profile is %v, want %v", got, want)
	}
	if code, out, errOut := idgraphCmd(t, environ, "check", "-space", space); code != 0 {
		t.Errorf("check after promoting: exit %d\n%s%s", code, out, errOut)
	}
}
