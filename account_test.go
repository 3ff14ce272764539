package idgraph

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// resolveJSON parses events, extracts their identifiers and resolves them
// in one batch over known, as the store does.
func resolveJSON(t *testing.T, rules Rules, known []Profile, lines ...string) Resolution {
	t.Helper()
	r := NewResolver(rules, known, counter())
	for _, l := range lines {
		e, err := ParseEvent([]byte(l), t0)
		if err != nil {
			t.Fatalf("parse %s: %v", l, err)
		}
		carried, _ := rules.Extract(e)
		r.Apply(e, "web", carried)
	}
	return r.Result()
}

// linkList renders links as "account<-profile" in their order.
func linkList(ls []AccountLink) string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.AccountID + "<-" + l.ProfileID
	}
	return strings.Join(out, ",")
}

// TestGroupCallsKeepPeopleApart is issue 13's company glued into one
// person: three anonymous visitors each send group with groupId acme, and a
// user identifies with it and sends group too. They stay four people, each
// linked to the account acme, whose traits are the group calls' own.
func TestGroupCallsKeepPeopleApart(t *testing.T) {
	res := resolveJSON(t, DefaultRules(), nil,
		`{"type":"group","messageId":"g1","anonymousId":"a1","groupId":"acme","traits":{"name":"Acme","plan":"free"},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"group","messageId":"g2","anonymousId":"a2","groupId":"acme","timestamp":"2020-01-01T01:00:00Z"}`,
		`{"type":"group","messageId":"g3","anonymousId":"a3","groupId":" acme ","traits":{"plan":"pro"},"timestamp":"2020-01-01T02:00:00Z"}`,
		`{"type":"identify","messageId":"i1","userId":"u1","groupId":"acme","traits":{"plan":"user plan"},"timestamp":"2020-01-01T03:00:00Z"}`,
		`{"type":"group","messageId":"g4","userId":"u1","groupId":"acme","traits":{"employees":120},"timestamp":"2020-01-01T04:00:00Z"}`,
	)
	var people []string
	for _, p := range res.Profiles {
		if p.MergedInto != "" {
			t.Errorf("profile %s was merged into %s: a group call joined people", p.ID, p.MergedInto)
		}
		var members []string
		for _, s := range p.Identifiers {
			members = append(members, s.String())
		}
		people = append(people, strings.Join(members, ","))
	}
	slices.Sort(people)
	if want := []string{"anonymous_id:a1", "anonymous_id:a2", "anonymous_id:a3", "user_id:u1"}; !slices.Equal(people, want) {
		t.Errorf("profiles %q, want %q", people, want)
	}
	if len(res.Merges) != 0 || len(res.Edges) != 0 {
		t.Errorf("%d merges and %d edges, want none", len(res.Merges), len(res.Edges))
	}

	acc := DefaultRules().AccountChanges(res)
	if got, want := linkList(acc.Links), "acme<-p1,acme<-p2,acme<-p3,acme<-p4"; got != want {
		t.Errorf("links %s, want %s", got, want)
	}
	jan1 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	u1 := acc.Links[3]
	if !u1.FirstSeen.Equal(jan1.Add(3*time.Hour)) || !u1.LastSeen.Equal(jan1.Add(4*time.Hour)) || u1.MessageID != "i1" || u1.SourceID != "web" {
		t.Errorf("u1's link %+v, want first seen at i1 (03:00 from web), last at 04:00", u1)
	}
	if len(acc.Accounts) != 1 {
		t.Fatalf("accounts %+v, want acme alone", acc.Accounts)
	}
	a := acc.Accounts[0]
	got := map[string]string{}
	for k, v := range a.Traits {
		got[k] = fmt.Sprintf("%v@%s", v.Value, v.MessageID)
	}
	want := map[string]string{"name": "Acme@g1", "plan": "pro@g3", "employees": "120@g4"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("account traits %v, want %v (the identify's traits are the user's)", got, want)
	}
	if a.ID != "acme" || !a.CreatedAt.Equal(jan1) || !a.UpdatedAt.Equal(jan1.Add(4*time.Hour)) {
		t.Errorf("account %s created %s updated %s, want acme from 00:00 to 04:00", a.ID, a.CreatedAt, a.UpdatedAt)
	}
}

// TestAccountLinksFollowMerges: a link goes to the profile the event's
// profile is at the end of the batch, and every merged profile's links move
// to its final survivor, through a chain of merges.
func TestAccountLinksFollowMerges(t *testing.T) {
	known := []Profile{
		known("old1", t0, 0, "anonymous_id:a1"),
		known("old2", t0.Add(time.Hour), 0, "anonymous_id:a2"),
		known("old3", t0.Add(2*time.Hour), 0, "anonymous_id:a3"),
	}
	res := resolveJSON(t, DefaultRules(), known,
		`{"type":"group","messageId":"g1","anonymousId":"a3","groupId":"acme","timestamp":"2020-01-02T00:00:00Z"}`,
		`{"type":"track","messageId":"t1","anonymousId":"a2","userId":"u2","event":"x","timestamp":"2020-01-02T01:00:00Z"}`,
		`{"type":"track","messageId":"t2","anonymousId":"a3","userId":"u2","event":"x","timestamp":"2020-01-02T02:00:00Z"}`,
		`{"type":"track","messageId":"t3","anonymousId":"a1","userId":"u2","event":"x","timestamp":"2020-01-02T03:00:00Z"}`,
	)
	acc := DefaultRules().AccountChanges(res)
	if got, want := linkList(acc.Links), "acme<-old1"; got != want {
		t.Errorf("links %s, want %s: the group call's profile ends in old1", got, want)
	}
	var moves []string
	for _, m := range acc.Moves {
		moves = append(moves, m.From+"->"+m.Into)
	}
	slices.Sort(moves)
	if want := []string{"old2->old1", "old3->old1"}; !slices.Equal(moves, want) {
		t.Errorf("moves %v, want %v", moves, want)
	}
}

func TestAccountID(t *testing.T) {
	rules := DefaultRules()
	for _, tt := range []struct {
		group string
		want  string
		ok    bool
	}{
		{" acme ", "acme", true},
		{"42", "42", true},
		{"null", "", false},
		{"", "", false},
		{strings.Repeat("x", MaxIdentifierBytes+1), "", false},
	} {
		got, ok := rules.AccountID(Event{Type: EventGroup, GroupID: tt.group})
		if got != tt.want || ok != tt.ok {
			t.Errorf("AccountID(%.20q) = %q, %v; want %q, %v", tt.group, got, ok, tt.want, tt.ok)
		}
	}
	// A space blocks junk group ids as it blocks junk identifiers: a rule
	// for group_id takes blocked values, and nothing else.
	sp, err := ParseSpaces([]byte(`spaces:
  - id: s
    access_tokens: [tok_s_secret]
    sources: [{id: app, write_key: wk_s_secret}]
    identifiers: [{type: group_id, blocked: ["/^test-/"]}]
`))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := sp.Get("s")
	if _, ok := s.Rules.AccountID(Event{GroupID: "test-co"}); ok {
		t.Error("AccountID(test-co) is an account, want it blocked by the space's rule")
	}
	res := resolveJSON(t, rules, nil, `{"type":"group","messageId":"g1","anonymousId":"a1","groupId":"undefined","traits":{"x":1}}`)
	if acc := rules.AccountChanges(res); len(acc.Accounts)+len(acc.Links) != 0 {
		t.Errorf("a blocked groupId made %+v, want nothing", acc)
	}
}

func TestRebuildAccount(t *testing.T) {
	if got := RebuildAccount("acme", nil); len(got.Accounts)+len(got.Links) != 0 {
		t.Errorf("no events made %+v, want nothing", got)
	}
	events := []AccountEvent{
		{StoredEvent: StoredEvent{Type: EventGroup, MessageID: "g2", SourceID: "web", Timestamp: t0.Add(time.Hour), Traits: map[string]any{"plan": "pro"}}, ProfileIDs: []string{"p1", "p2"}},
		{StoredEvent: StoredEvent{Type: EventGroup, MessageID: "g1", SourceID: "ios", Timestamp: t0, Traits: map[string]any{"plan": "free", "name": "Acme"}}, ProfileIDs: []string{"p2"}},
		{StoredEvent: StoredEvent{Type: EventIdentify, MessageID: "i1", SourceID: "web", Timestamp: t0.Add(2 * time.Hour), Traits: map[string]any{"plan": "mine"}}, ProfileIDs: []string{"p1"}},
	}
	got := RebuildAccount("acme", events)
	if len(got.Accounts) != 1 {
		t.Fatalf("accounts %+v, want acme", got.Accounts)
	}
	a := got.Accounts[0]
	if ts := a.Traits; ts["plan"].Value != "pro" || ts["plan"].MessageID != "g2" || ts["name"].Value != "Acme" || len(ts) != 2 {
		t.Errorf("traits %+v, want the group calls' own: plan pro (g2), name Acme", ts)
	}
	if !a.CreatedAt.Equal(t0) || !a.UpdatedAt.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("account from %s to %s, want from the first event to the last", a.CreatedAt, a.UpdatedAt)
	}
	var links []string
	for _, l := range got.Links {
		links = append(links, fmt.Sprintf("%s %s..%s %s/%s", l.ProfileID, l.FirstSeen.Sub(t0), l.LastSeen.Sub(t0), l.SourceID, l.MessageID))
	}
	if want := []string{"p1 1h0m0s..2h0m0s web/g2", "p2 0s..1h0m0s ios/g1"}; !slices.Equal(links, want) {
		t.Errorf("links %q, want %q", links, want)
	}
}
