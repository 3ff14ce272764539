package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// kioskEvents glue a shopper (anonymous_id:b1) to Jane's profile through a
// kiosk tablet Jane signed in on; a second shopper (anonymous_id:b2) and
// Kim (user_id:kim) have profiles of their own.
const kioskEvents = `{"type":"identify","messageId":"j1","userId":"jane","traits":{"email":"jane@x.com","name":"Jane"},"context":{"device":{"id":"kiosk","type":"android"}},"timestamp":"2020-01-01T00:00:00Z"}
{"type":"identify","messageId":"j2","userId":"jane","traits":{"plan":"gold"},"context":{"device":{"id":"kiosk","type":"android"}},"timestamp":"2020-01-01T01:00:00Z"}
{"type":"track","event":"Viewed","messageId":"s1","anonymousId":"b1","context":{"device":{"id":"kiosk","type":"android"}},"timestamp":"2020-01-02T00:00:00Z"}
{"type":"identify","messageId":"s2","anonymousId":"b1","traits":{"name":"Shopper","cart":"red shoes"},"timestamp":"2020-01-02T00:05:00Z"}
{"type":"track","event":"Viewed","messageId":"s3","anonymousId":"b2","timestamp":"2020-01-03T00:00:00Z"}
{"type":"identify","messageId":"k1","userId":"kim","timestamp":"2020-01-04T00:00:00Z"}
`

// kioskSpace loads kioskEvents with 'idgraph load' into a space of the
// test's own and returns the environment (USER=tester) and the space.
func kioskSpace(t *testing.T) ([]string, string) {
	t.Helper()
	environ, space := spaceEnv(t)
	environ = append(environ, "USER=tester")
	file := filepath.Join(t.TempDir(), "kiosk.ndjson")
	if err := os.WriteFile(file, []byte(kioskEvents), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := idgraphCmd(t, environ, "load", "-space", space, "-source", "segkicks", file); code != 0 {
		t.Fatalf("load: exit %d\n%s%s", code, out, errOut)
	}
	if got := profileOf(t, space, "anonymous_id:b1"); !slices.Contains(got, "user_id:jane") {
		t.Fatalf("the kiosk did not glue the shopper to Jane: %v", got)
	}
	return environ, space
}

// profileOf returns the identifiers of the profile holding id, sorted.
func profileOf(t *testing.T, space, id string) []string {
	t.Helper()
	ident, err := idgraph.ParseIdentifier(id)
	if err != nil {
		t.Fatal(err)
	}
	p, err := graph.NewStore(graphtest.Open(t)).Profile(context.Background(), space, ident)
	if err != nil {
		t.Fatalf("profile of %s: %v", id, err)
	}
	var ids []string
	for _, s := range p.Identifiers {
		ids = append(ids, s.Identifier.String())
	}
	slices.Sort(ids)
	return ids
}

func TestSplitCommand(t *testing.T) {
	environ, space := kioskSpace(t)
	jane := []string{"android.id:kiosk", "anonymous_id:b1", "email:jane@x.com", "user_id:jane"}
	apart := []string{"split", "-space", space, "-profile", "user_id:jane", "-apart", "user_id:jane", "-apart", "anonymous_id:b1", "-reason", "kiosk"}

	code, out, errOut := idgraphCmd(t, environ, append(apart, "-preview")...)
	if code != 0 {
		t.Fatalf("preview: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"nothing written", "links cut (1):\n  android.id:kiosk - anonymous_id:b1  1 event\n",
		"(keeps the profile's id), 3 identifiers:\n    android.id:kiosk\n    email:jane@x.com\n    user_id:jane\n",
		"(new), 1 identifier:\n    anonymous_id:b1\n", "never decisions (1):\n  anonymous_id:b1 - user_id:jane\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview output lacks %q:\n%s", want, out)
		}
	}
	if got := profileOf(t, space, "anonymous_id:b1"); !slices.Equal(got, jane) {
		t.Errorf("a preview wrote: the shopper's profile is %v, want %v", got, jane)
	}

	code, out, errOut = idgraphCmd(t, environ, append(apart, "-json")...)
	if code != 0 {
		t.Fatalf("split: exit %d\n%s%s", code, out, errOut)
	}
	var got struct {
		Preview      bool                   `json:"preview"`
		CorrectionID string                 `json:"correction_id"`
		Actor        string                 `json:"actor"`
		Reason       string                 `json:"reason"`
		Cut          []idgraph.Edge         `json:"cut"`
		Parts        []idgraph.SplitPart    `json:"parts"`
		Never        []idgraph.LinkDecision `json:"never"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("split -json: %v\n%s", err, out)
	}
	if got.Preview || got.CorrectionID == "" || got.Actor != "cli:tester" || got.Reason != "kiosk" {
		t.Errorf("split: preview %v, correction %q, actor %q, reason %q; want a correction by cli:tester for kiosk",
			got.Preview, got.CorrectionID, got.Actor, got.Reason)
	}
	if len(got.Cut) != 1 || got.Cut[0].Count != 1 || len(got.Parts) != 2 || len(got.Never) != 1 {
		t.Errorf("split: cut %+v, %d parts, never %+v; want one link of 1 event cut, 2 parts, 1 never", got.Cut, len(got.Parts), got.Never)
	}
	if got, want := profileOf(t, space, "anonymous_id:b1"), []string{"anonymous_id:b1"}; !slices.Equal(got, want) {
		t.Errorf("after the split the shopper's profile is %v, want %v", got, want)
	}
	if code, out, errOut := idgraphCmd(t, environ, "check", "-space", space); code != 0 {
		t.Errorf("check after the split: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = idgraphCmd(t, environ, "link", "-space", space, "-list")
	if code != 0 || !strings.Contains(out, "never     anonymous_id:b1  user_id:jane  cli:tester") {
		t.Errorf("link -list after the split: exit %d, want the never decision by cli:tester:\n%s", code, out)
	}
}

func TestSplitCommandForgetAndCut(t *testing.T) {
	environ, space := kioskSpace(t)
	code, out, errOut := idgraphCmd(t, environ, "split", "-space", space, "-profile", "email:jane@x.com",
		"-cut", "anonymous_id:b1", "-to", "android.id:kiosk", "-forget", "-json")
	if code != 0 {
		t.Fatalf("split -cut: exit %d\n%s%s", code, out, errOut)
	}
	// The JSON is the HTTP answer's: empty lists are [], never null.
	if !strings.Contains(out, `"never": []`) {
		t.Errorf("split -forget -json: want \"never\": [], got\n%s", out)
	}
	if got, want := profileOf(t, space, "anonymous_id:b1"), []string{"anonymous_id:b1"}; !slices.Equal(got, want) {
		t.Errorf("after the cut the shopper's profile is %v, want %v", got, want)
	}
	code, out, _ = idgraphCmd(t, environ, "link", "-space", space, "-list")
	if code != 0 || out != "no link decisions\n" {
		t.Errorf("link -list after a split with -forget: exit %d, got %q, want no decisions", code, out)
	}
}

func TestSplitCommandErrors(t *testing.T) {
	environ, space := kioskSpace(t)
	split := func(args ...string) []string {
		return append([]string{"split", "-space", space, "-profile", "user_id:jane"}, args...)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no mode", split(), 2, "give exactly one of -identifier, -cut, -apart and -event (got 0)"},
		{"two modes", split("-identifier", "anonymous_id:b1", "-apart", "user_id:jane", "-apart", "anonymous_id:b1"), 2, "(got 2)"},
		{"no profile", []string{"split", "-space", space, "-identifier", "anonymous_id:b1"}, 2, "-profile: missing"},
		{"bad profile", split("-profile", "jane"), 2, `invalid value "jane" for flag -profile: want an identifier as type:value`},
		{"bad identifier", split("-identifier", "b1"), 2, `flag -identifier: want an identifier as type:value`},
		{"one apart", split("-apart", "user_id:jane"), 2, "-apart: want two identifiers, got 1"},
		{"apart the same", split("-apart", "user_id:jane", "-apart", "user_id:jane"), 2, "-apart: user_id:jane is the same identifier as apart[0]"},
		{"cut without to", split("-cut", "user_id:jane"), 2, "-cut user_id:jane: no -to"},
		{"to without cut", split("-to", "user_id:jane"), 2, "flag -to: no -cut before it"},
		{"cut to itself", split("-cut", "user_id:jane", "-to", "user_id:jane"), 2, "-cut: a link joins two identifiers"},
		{"bad event", split("-event", "s1"), 2, "flag -event: want SOURCE/MESSAGE_ID"},
		{"long reason", split("-identifier", "anonymous_id:b1", "-reason", strings.Repeat("x", idgraph.MaxReasonBytes+1)), 2, "-reason: 1001 bytes"},
		{"empty actor", split("-identifier", "anonymous_id:b1", "-actor", " "), 2, "-actor: empty"},
		{"stray argument", split("-identifier", "anonymous_id:b1", "extra"), 2, `unexpected argument "extra"`},
		{"unknown space", []string{"split", "-space", "nope", "-profile", "user_id:jane", "-identifier", "anonymous_id:b1"}, 2, `no space "nope"`},
		{"unknown profile", split("-profile", "user_id:nobody", "-identifier", "anonymous_id:b1"), 1, "user_id:nobody"},
		{"not in the profile", split("-identifier", "anonymous_id:b2"), 1, "not in profile"},
		{"no such link", split("-cut", "user_id:jane", "-to", "anonymous_id:b1"), 1, "no such link in the profile: user_id:jane - anonymous_id:b1"},
		{"every identifier", split("-identifier", "user_id:jane", "-identifier", "email:jane@x.com", "-identifier", "android.id:kiosk", "-identifier", "anonymous_id:b1"), 1, "would move them all"},
		{"unknown event", split("-event", "segkicks/nope"), 1, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := idgraphCmd(t, environ, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.want)
			}
			if code != 0 && out != "" {
				t.Errorf("a failed split printed %q on stdout", out)
			}
		})
	}
	if got := profileOf(t, space, "anonymous_id:b1"); len(got) != 4 {
		t.Errorf("a failed split wrote: the shopper's profile is %v", got)
	}
}
