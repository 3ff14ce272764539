package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
)

func TestLinkNeverCommand(t *testing.T) {
	environ, space := kioskSpace(t)
	never := []string{"link", "-space", space, "-never", "user_id:jane", "anonymous_id:b1", "-reason", "kiosk"}

	// Together today: refused with the minimum cut, nothing written.
	code, out, errOut := idgraphCmd(t, environ, never...)
	if want := "the minimum cut that would separate them is android.id:kiosk - anonymous_id:b1 (1 event); add -split to apply it"; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("never without -split: exit %d (want 1), stderr %q (want %q)", code, errOut, want)
	}
	if out != "" {
		t.Errorf("a refused never printed %q", out)
	}
	if code, out, _ := idgraphCmd(t, environ, "link", "-space", space, "-list"); code != 0 || out != "no link decisions\n" {
		t.Errorf("a refused never wrote a decision: exit %d\n%s", code, out)
	}
	if got := profileOf(t, space, "anonymous_id:b1"); len(got) != 4 {
		t.Errorf("a refused never split the profile: the shopper's is %v", got)
	}

	// -split applies the cut; flags may follow A and B.
	code, out, errOut = idgraphCmd(t, environ, append(never, "-split", "-json")...)
	if code != 0 {
		t.Fatalf("never -split: exit %d\n%s%s", code, out, errOut)
	}
	var res idgraph.LinkResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("never -split -json: %v\n%s", err, out)
	}
	d := res.Decision
	if !res.Created || d.Decision != "never" || d.A.String() != "anonymous_id:b1" || d.B.String() != "user_id:jane" || d.Actor != "cli:tester" || d.Reason != "kiosk" {
		t.Errorf("never -split: %+v, want a new never between b1 and jane by cli:tester for kiosk", res)
	}
	if res.Split == nil || len(res.Split.Cut) != 1 || len(res.Split.Parts) != 2 {
		t.Errorf("never -split: split %+v, want one link cut into two parts", res.Split)
	}
	if got, want := profileOf(t, space, "anonymous_id:b1"), []string{"anonymous_id:b1"}; !slices.Equal(got, want) {
		t.Errorf("after never -split the shopper's profile is %v, want %v", got, want)
	}

	// The same decision again is answered, not repeated.
	code, out, _ = idgraphCmd(t, environ, never...)
	if want := "never anonymous_id:b1 - user_id:jane: already decided as " + d.ID; code != 0 || !strings.Contains(out, want) {
		t.Errorf("never again: exit %d, got %q, want %q", code, out, want)
	}
	// The contrary decision is refused, naming this one.
	code, _, errOut = idgraphCmd(t, environ, "link", "-space", space, "-always", "anonymous_id:b1", "user_id:jane")
	if want := "already have the never decision " + d.ID; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("always against a never: exit %d, stderr %q, want %q", code, errOut, want)
	}
	// An always that the rules refuse names the rule: a profile holds one
	// user_id.
	code, _, errOut = idgraphCmd(t, environ, "link", "-space", space, "-always", "user_id:jane", "user_id:kim")
	if want := "decision: rule limit:user_id refuses to join user_id:jane and user_id:kim"; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("always refused by the rules: exit %d, stderr %q, want %q", code, errOut, want)
	}
	if got, want := profileOf(t, space, "user_id:kim"), []string{"user_id:kim"}; !slices.Equal(got, want) {
		t.Errorf("a refused always joined Kim: %v", got)
	}
	if code, out, errOut := idgraphCmd(t, environ, "check", "-space", space); code != 0 {
		t.Errorf("check: exit %d\n%s%s", code, out, errOut)
	}
}

func TestLinkAlwaysListAndRemoveCommands(t *testing.T) {
	environ, space := kioskSpace(t)
	link := func(args ...string) []string { return append([]string{"link", "-space", space}, args...) }

	code, out, errOut := idgraphCmd(t, environ, link("-always", "-reason", "same shopper", "anonymous_id:b2", "anonymous_id:b1")...)
	if code != 0 || !strings.Contains(out, "always anonymous_id:b1 - anonymous_id:b2: recorded as lnk_") || !strings.Contains(out, "both are in profile prf_") {
		t.Fatalf("always: exit %d\n%s%s", code, out, errOut)
	}
	if got := profileOf(t, space, "anonymous_id:b2"); !slices.Contains(got, "anonymous_id:b1") || !slices.Contains(got, "user_id:jane") {
		t.Errorf("always did not join b2 to b1's profile: %v", got)
	}
	code, out, errOut = idgraphCmd(t, environ, link("-never", "-split", "user_id:jane", "email:jane@x.com")...)
	if code != 0 {
		t.Fatalf("never -split: exit %d\n%s%s", code, out, errOut)
	}

	code, out, _ = idgraphCmd(t, environ, link("-list")...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "ID ") ||
		!strings.Contains(lines[1], `always    anonymous_id:b1   anonymous_id:b2  cli:tester`) || !strings.HasSuffix(lines[1], `"same shopper"`) ||
		!strings.Contains(lines[2], "never     email:jane@x.com  user_id:jane     cli:tester") {
		t.Errorf("-list: exit %d, got\n%s\nwant a header, the always then the never", code, out)
	}

	code, out, _ = idgraphCmd(t, environ, link("-list", "-identifier", "anonymous_id:b2", "-json")...)
	var list struct {
		Data []idgraph.LinkDecision `json:"data"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 {
		t.Fatalf("-list -json: exit %d, %v\n%s", code, err, out)
	}
	if len(list.Data) != 1 || list.Data[0].Decision != "always" {
		t.Fatalf("-list -identifier anonymous_id:b2: got %+v, want the always decision alone", list.Data)
	}
	id := list.Data[0].ID

	code, out, errOut = idgraphCmd(t, environ, link("-remove", id, "-actor", "ops")...)
	if want := "removed the always decision " + id + " between anonymous_id:b1 and anonymous_id:b2"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("-remove: exit %d, got %q%s, want %q", code, out, errOut, want)
	}
	if code, out, _ := idgraphCmd(t, environ, link("-list", "-identifier", "anonymous_id:b2")...); code != 0 || out != "no link decisions\n" {
		t.Errorf("-list after -remove: exit %d, got %q", code, out)
	}
	code, _, errOut = idgraphCmd(t, environ, link("-remove", id)...)
	if want := "no link decision \"" + id + "\""; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("-remove again: exit %d, stderr %q, want %q", code, errOut, want)
	}
}

func TestLinkCommandErrors(t *testing.T) {
	environ, space := kioskSpace(t)
	link := func(args ...string) []string { return append([]string{"link", "-space", space}, args...) }
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no mode", link("user_id:jane", "anonymous_id:b2"), 2, "give exactly one of -never, -always, -list and -remove (got 0)"},
		{"two modes", link("-never", "-always", "user_id:jane", "anonymous_id:b2"), 2, "(got 2)"},
		{"one identifier", link("-never", "user_id:jane"), 2, "-never: want two identifiers A B, got 1"},
		{"three identifiers", link("-always", "user_id:jane", "anonymous_id:b2", "anonymous_id:b1"), 2, "got 3"},
		{"bad A", link("-never", "jane", "anonymous_id:b2"), 2, `A: "jane": want an identifier as type:value`},
		{"bad B", link("-never", "user_id:jane", "b2"), 2, `B: "b2": want an identifier as type:value`},
		{"same identifier", link("-never", "user_id:jane", "user_id:jane"), 2, "B: user_id:jane is the same identifier"},
		{"long reason", link("-never", "-reason", strings.Repeat("x", idgraph.MaxReasonBytes+1), "user_id:jane", "anonymous_id:b2"), 2, "-reason: 1001 bytes"},
		{"split with always", link("-always", "-split", "user_id:jane", "anonymous_id:b2"), 2, "-split does not go with -always"},
		{"identifier without list", link("-never", "-identifier", "user_id:jane", "user_id:jane", "anonymous_id:b2"), 2, "-identifier does not go with -never"},
		{"reason with remove", link("-remove", "lnk_x", "-reason", "x"), 2, "-reason does not go with -remove"},
		{"list with argument", link("-list", "user_id:jane"), 2, `unexpected argument "user_id:jane"`},
		{"bad list identifier", link("-list", "-identifier", "jane"), 2, "flag -identifier: want an identifier as type:value"},
		{"empty remove", link("-remove", ""), 2, "-remove: want the id of a decision"},
		{"empty actor", link("-never", "-actor", "", "user_id:jane", "anonymous_id:b2"), 2, "-actor: empty"},
		{"bad flag", link("-bogus"), 2, "flag provided but not defined: -bogus"},
		{"unknown space", []string{"link", "-space", "nope", "-list"}, 2, `no space "nope"`},
		{"unknown identifier", link("-never", "user_id:nobody", "anonymous_id:b2"), 1, "no identifier user_id:nobody"},
		{"unknown decision", link("-remove", "lnk_nope"), 1, `no link decision "lnk_nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := idgraphCmd(t, environ, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.want)
			}
			if out != "" {
				t.Errorf("a failed link printed %q on stdout", out)
			}
		})
	}
	if code, out, _ := idgraphCmd(t, environ, link("-list")...); code != 0 || out != "no link decisions\n" {
		t.Errorf("a failed link wrote a decision: exit %d\n%s", code, out)
	}
}
