package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
)

// stormEvents make eleven profiles of two identifiers, each by a merge in
// the hour from 2024-05-03 12:00 UTC (a storm: more than 10 after a quiet
// day), and a kiosk tablet that refuses Kim on 2024-05-04 after Jane.
func stormEvents() string {
	var b strings.Builder
	line := func(typ, id, at, fields string) {
		fmt.Fprintf(&b, `{"type":%q,"messageId":%q,"timestamp":%q,%s}`+"\n", typ, id, at, fields)
	}
	for k := range 11 {
		u, a := fmt.Sprintf("u%02d", k), fmt.Sprintf("a%02d", k)
		line("identify", u+"-1", "2024-05-03T11:50:00Z", fmt.Sprintf(`"userId":%q`, u))
		line("page", a+"-1", "2024-05-03T11:50:00Z", fmt.Sprintf(`"anonymousId":%q`, a))
		line("identify", u+"-2", fmt.Sprintf("2024-05-03T12:%02d:00Z", k), fmt.Sprintf(`"userId":%q,"anonymousId":%q`, u, a))
	}
	kiosk := `"context":{"device":{"id":"kiosk","type":"android"}}`
	line("identify", "jane", "2024-05-04T10:00:00Z", `"userId":"jane",`+kiosk)
	line("identify", "kim", "2024-05-04T11:00:00Z", `"userId":"kim",`+kiosk)
	return b.String()
}

func TestHealthCommand(t *testing.T) {
	// Segment's rules: by default the kiosk would be shared and glue no one.
	environ, space := spaceEnvWith(t, "    segment_compatible: true\n")
	file := filepath.Join(t.TempDir(), "storm.ndjson")
	if err := os.WriteFile(file, []byte(stormEvents()), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := idgraphCmd(t, environ, "load", "-space", space, "-source", "segkicks", file); code != 0 {
		t.Fatalf("load: exit %d\n%s%s", code, out, errOut)
	}

	code, out, errOut := idgraphCmd(t, environ, "health", "-space", space)
	if code != 0 {
		t.Fatalf("health: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"space " + space + ": 13 profiles, 25 identifiers, 1 singleton (computed at ",
		"profiles by size (identifiers held):\n  1         1\n  2         12\n  3-5       0\n",
		"  1001+     0\n",
		"hubs (most links):\n  android.id:kiosk  1 link  2 user ids\n",
		"shared identifiers: none\n",
		"refusals by rule (links first refused per day, last 30 days of the data):\n  2024-05-04  limit:user_id  1\n",
		"merges per hour (last 48 hours of the data; hours without merges left out):\n  2024-05-03 12:00Z  11\n",
		"merge storm: 11 merges in the hour from 2024-05-03 12:00Z, against a median of 0 in the 24 hours before it (a storm is more than max(10, 5 × that median))\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("health output\n%s\nwant it to contain\n%s", out, want)
		}
	}

	code, out, errOut = idgraphCmd(t, environ, "health", "-space", space, "-json")
	var r idgraph.HealthReport
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("health -json: exit %d, output not a report\n%s%s", code, out, errOut)
	}
	if r.Space != space || r.Profiles != 13 || len(r.MergesPerHour) != idgraph.MergeHours || !r.MergeStorm.Detected ||
		len(r.LargestProfiles) != 10 || r.Shared == nil {
		t.Errorf("health -json: %+v, want 13 profiles, 48 hours, a storm, 10 largest and shared_identifiers []", r)
	}
	if strings.Contains(out, "null") && !strings.Contains(out, `"hour": null`) {
		t.Errorf("health -json shows a null list:\n%s", out)
	}

	code, _, errOut = idgraphCmd(t, environ, "health", "-space", "nope")
	if code != 2 || !strings.Contains(errOut, `no space "nope"`) {
		t.Errorf("health of an unknown space: exit %d, stderr %q; want 2 naming it", code, errOut)
	}
}
