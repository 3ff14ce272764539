package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// accountsOf returns the ids of the accounts the profile holding s
// ("type:value") is linked to.
func (e *env) accountsOf(s string) []string {
	e.t.Helper()
	links, err := e.store.ProfileAccounts(e.ctx, e.space.ID, mustID(s))
	if err != nil {
		e.t.Fatalf("accounts of %s: %v", s, err)
	}
	out := []string{}
	for _, l := range links {
		out = append(out, l.AccountID)
	}
	return out
}

// membersOf returns the members of an account, each as its identifiers
// joined by ",", in profile id order, read a page of two at a time.
func (e *env) membersOf(account string) []string {
	e.t.Helper()
	out := []string{}
	for after := ""; ; {
		page, err := e.store.AccountMembers(e.ctx, e.space.ID, account, after, 2)
		if err != nil {
			e.t.Fatalf("members of %s: %v", account, err)
		}
		for _, m := range page {
			var ids []string
			for _, s := range m.Identifiers {
				ids = append(ids, s.String())
			}
			out = append(out, strings.Join(ids, ","))
			after = m.Link.ProfileID
		}
		if len(page) < 2 {
			return out
		}
	}
}

// traitValues renders traits as key=value@message_id, sorted.
func traitValues(ts idgraph.Traits) string {
	var out []string
	for k, v := range ts {
		out = append(out, fmt.Sprintf("%s=%v@%s", k, v.Value, v.MessageID))
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// TestGroupCallsKeepPeopleApart is issue 13's company glued into one
// person, against Neo4j: three anonymous visitors each send group with
// groupId acme, and a user identifies with it; they stay four people, each
// linked to the account group_id:acme, which holds the group calls' traits.
func TestGroupCallsKeepPeopleApart(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	batch := []string{
		`{"type":"group","messageId":"g1","anonymousId":"a1","groupId":"acme","traits":{"name":"Acme","plan":"free"},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"group","messageId":"g2","anonymousId":"a2","groupId":"acme","timestamp":"2020-01-01T01:00:00Z"}`,
		`{"type":"group","messageId":"g3","anonymousId":"a3","groupId":"acme","traits":{"plan":"pro"},"timestamp":"2020-01-01T02:00:00Z"}`,
		`{"type":"identify","messageId":"i1","userId":"u1","groupId":"acme","traits":{"email":"u1@acme.com"},"timestamp":"2020-01-01T03:00:00Z"}`,
	}
	if res := e.resolve(segkicks, batch...); res.Merges != 0 || res.Profiles != 4 {
		t.Errorf("batch: %+v, want 4 profiles and no merge", res)
	}
	for _, id := range []string{"anonymous_id:a1", "anonymous_id:a2", "anonymous_id:a3"} {
		if got := e.profileOf(id); !slices.Equal(got, []string{id}) {
			t.Errorf("profile of %s holds %v, want itself alone", id, got)
		}
		if got := e.accountsOf(id); !slices.Equal(got, []string{"acme"}) {
			t.Errorf("accounts of %s: %v, want acme", id, got)
		}
	}
	if got, want := e.profileOf("user_id:u1"), []string{"email:u1@acme.com", "user_id:u1"}; !slices.Equal(got, want) {
		t.Errorf("profile of u1 holds %v, want %v", got, want)
	}
	if n := e.count(`MATCH (i:Identifier {space: $space, type: 'group_id'}) RETURN count(i)`); n != 0 {
		t.Errorf("%d group_id identifiers, want none", n)
	}
	members := e.membersOf("acme")
	slices.Sort(members)
	if want := []string{"anonymous_id:a1", "anonymous_id:a2", "anonymous_id:a3", "email:u1@acme.com,user_id:u1"}; !slices.Equal(members, want) {
		t.Errorf("members of acme %q, want %q", members, want)
	}
	a, err := e.store.Account(e.ctx, e.space.ID, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := traitValues(a.Traits), "name=Acme@g1 plan=pro@g3"; got != want {
		t.Errorf("acme's traits %s, want %s (an identify's traits are the user's)", got, want)
	}
	jan1 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if !a.CreatedAt.Equal(jan1) || !a.UpdatedAt.Equal(jan1.Add(3*time.Hour)) {
		t.Errorf("acme from %s to %s, want from g1 to i1", a.CreatedAt, a.UpdatedAt)
	}
	e.mustCheck()

	// A replay changes nothing, accounts included.
	before := e.accountCounts()
	if res := e.resolve(segkicks, batch...); res.Duplicates != 4 {
		t.Errorf("replay: %+v, want 4 duplicates", res)
	}
	if after := e.accountCounts(); after != before {
		t.Errorf("replay changed accounts: %s, then %s", before, after)
	}
}

// accountCounts renders the space's accounts, links and account traits.
func (e *env) accountCounts() string {
	e.t.Helper()
	res, err := e.db.ReadQuery(e.ctx, "accounts", `
		MATCH (a:Account {space: $space})
		OPTIONAL MATCH (a)<-[m:MEMBER_OF]-(p:Profile)
		WITH a, m, p ORDER BY p.id
		RETURN a.id + ' ' + a.traits + ' ' + toString(a.updated_at) AS account,
		       collect(p.id + ' ' + toString(m.first_seen) + '..' + toString(m.last_seen) + ' ' + m.message_id) AS links
		ORDER BY account`, map[string]any{"space": e.space.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, rec := range res.Records {
		out = append(out, fmt.Sprint(rec.Values))
	}
	return strings.Join(out, "\n")
}

// TestAccountTraitsNewestWinsAcrossBatches: a group call that arrives late
// with an older time changes no trait a newer call set, and widens its
// profile's link back in time.
func TestAccountTraitsNewestWinsAcrossBatches(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"group","messageId":"g2","userId":"u1","groupId":"acme","traits":{"plan":"pro"},"timestamp":"2020-01-02T00:00:00Z"}`)
	e.resolve(segruns, `{"type":"group","messageId":"g1","userId":"u1","groupId":"acme","traits":{"plan":"free","name":"Acme"},"timestamp":"2020-01-01T00:00:00Z"}`)
	a, err := e.store.Account(e.ctx, e.space.ID, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := traitValues(a.Traits), "name=Acme@g1 plan=pro@g2"; got != want {
		t.Errorf("traits %s, want %s", got, want)
	}
	if a.Traits["plan"].SourceID != "segkicks" || a.Traits["name"].SourceID != "segruns" {
		t.Errorf("traits' sources %+v, want each from its call's source", a.Traits)
	}
	links, err := e.store.ProfileAccounts(e.ctx, e.space.ID, mustID("user_id:u1"))
	if err != nil || len(links) != 1 {
		t.Fatalf("links of u1: %+v, %v; want one", links, err)
	}
	l := links[0]
	if l.MessageID != "g1" || l.SourceID != "segruns" || l.FirstSeen.Day() != 1 || l.LastSeen.Day() != 2 {
		t.Errorf("link %+v, want first seen at g1 from segruns on the 1st, last on the 2nd", l)
	}
}

// TestAccountLinksFollowMerges: when profiles merge, their account links
// move to the survivor, the earlier evidence kept where both had one.
func TestAccountLinksFollowMerges(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"group","messageId":"g1","anonymousId":"a1","groupId":"acme","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"group","messageId":"g2","anonymousId":"a2","groupId":"acme","timestamp":"2020-01-01T01:00:00Z"}`,
		`{"type":"group","messageId":"g3","anonymousId":"a2","groupId":"globex","timestamp":"2020-01-01T02:00:00Z"}`,
	)
	e.resolve(segkicks, `{"type":"identify","messageId":"i1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-02T00:00:00Z"}`)
	e.resolve(segkicks, `{"type":"identify","messageId":"i2","userId":"u1","anonymousId":"a2","timestamp":"2020-01-03T00:00:00Z"}`)
	if got, want := e.accountsOf("anonymous_id:a2"), []string{"acme", "globex"}; !slices.Equal(got, want) {
		t.Errorf("accounts of the merged profile: %v, want %v", got, want)
	}
	if got, want := e.membersOf("acme"), []string{"anonymous_id:a1,anonymous_id:a2,user_id:u1"}; !slices.Equal(got, want) {
		t.Errorf("members of acme %q, want %q", got, want)
	}
	links, err := e.store.ProfileAccounts(e.ctx, e.space.ID, mustID("user_id:u1"))
	if err != nil {
		t.Fatal(err)
	}
	if acme := links[0]; acme.MessageID != "g1" || acme.LastSeen.Hour() != 1 {
		t.Errorf("acme's link %+v, want first seen at g1 and last at g2", acme)
	}
	if n := e.count(`MATCH (p:Profile {space: $space})-[:MEMBER_OF]->() WHERE p.merged_into IS NOT NULL RETURN count(*)`); n != 0 {
		t.Errorf("%d account links left on merged profiles, want none", n)
	}
	e.mustCheck()
}

// TestSplitLeavesAccountLinksWithTheKeptPart: a split moves identifiers, not
// account links: they stay with the part that keeps the profile's id,
// whichever part's events made them.
func TestSplitLeavesAccountLinksWithTheKeptPart(t *testing.T) {
	e := kioskStory(t)
	e.resolve(segkicks, `{"type":"group","messageId":"s9","anonymousId":"b1","groupId":"shoppers","timestamp":"2020-01-02T00:10:00Z"}`)
	before, err := e.store.Profile(e.ctx, e.space.ID, mustID("user_id:jane"))
	if err != nil {
		t.Fatal(err)
	}
	split := idgraph.Split{Apart: []idgraph.Identifier{mustID("user_id:jane"), mustID("anonymous_id:b1")}, Reason: "kiosk"}
	plan, err := e.store.Split(e.ctx, e.space, mustID("user_id:jane"), split, "tester", false)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Parts[0].ProfileID != before.ID || !plan.Parts[0].Holds(mustID("user_id:jane")) {
		t.Fatalf("parts %+v, want Jane's part to keep %s", plan.Parts, before.ID)
	}
	if got := e.accountsOf("user_id:jane"); !slices.Equal(got, []string{"shoppers"}) {
		t.Errorf("accounts of the kept part: %v, want shoppers", got)
	}
	if got := e.accountsOf("anonymous_id:b1"); len(got) != 0 {
		t.Errorf("accounts of the new part: %v, want none", got)
	}
	e.mustCheck()
}

// TestRebuildMovesAccountLinks: a profile a rebuild retires hands its
// account links to the profile that takes its identifiers.
func TestRebuildMovesAccountLinks(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"i1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"group","messageId":"g1","anonymousId":"a9","groupId":"acme","timestamp":"2020-01-01T01:00:00Z"}`,
	)
	// Break it: a1 goes to a young profile of its own, which takes the
	// account link.
	if _, err := e.db.Query(e.ctx, "break", `
		MATCH (i:Identifier {space: $space, type: 'anonymous_id', value: 'a1'})-[r:IN_PROFILE]->()
		MATCH (a:Account {space: $space, id: 'acme'})
		DELETE r
		CREATE (i)-[:IN_PROFILE]->(p:Profile {id: 'prf_broken', space: $space, created_at: datetime(), updated_at: datetime(),
		        merge_count: 0, identifier_count: 1, traits: '{}'})
		CREATE (p)-[:MEMBER_OF {first_seen: datetime('2020-01-01T01:00:00Z'), last_seen: datetime('2020-01-01T01:00:00Z'),
		        message_id: 'g1', source_id: 'segkicks'}]->(a)`,
		map[string]any{"space": e.space.ID}); err != nil {
		t.Fatal(err)
	}
	reb, err := e.store.Rebuild(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	if reb.Removed != 1 {
		t.Fatalf("rebuild %+v, want prf_broken retired", reb)
	}
	if got := e.accountsOf("user_id:u1"); !slices.Equal(got, []string{"acme"}) {
		t.Errorf("accounts of u1 after the rebuild: %v, want acme", got)
	}
	e.mustCheck()
}

func TestAccountNotFound(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"identify","messageId":"i1","userId":"u1"}`)
	if _, err := e.store.Account(e.ctx, e.space.ID, "nope"); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("Account(nope): %v, want ENOTFOUND", err)
	}
	if _, err := e.store.AccountMembers(e.ctx, e.space.ID, "nope", "", 10); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("AccountMembers(nope): %v, want ENOTFOUND", err)
	}
	if _, err := e.store.ProfileAccounts(e.ctx, e.space.ID, mustID("user_id:nobody")); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("ProfileAccounts(nobody): %v, want ENOTFOUND", err)
	}
	if got := e.accountsOf("user_id:u1"); len(got) != 0 {
		t.Errorf("accounts of u1: %v, want none", got)
	}
}

// accountsView renders a space's accounts as their users see them: traits,
// and each member's identifiers with the link's evidence, in a form that
// does not depend on profile ids.
func (e *env) accountsView() string {
	e.t.Helper()
	res, err := e.db.ReadQuery(e.ctx, "accounts view", `
		MATCH (a:Account {space: $space})<-[m:MEMBER_OF]-(p:Profile)<-[:IN_PROFILE]-(i:Identifier)
		WITH a, m, p, i ORDER BY i.type, i.value
		WITH a, m, collect(i.type + ':' + i.value) AS ids
		RETURN a.id + ' ' + a.traits + ' ' + toString(a.created_at) + '..' + toString(a.updated_at) + ' ' +
		       reduce(s = '', x IN ids | s + x + ',') + ' ' + toString(m.first_seen) + '..' + toString(m.last_seen) + ' ' + m.message_id AS row
		ORDER BY row`, map[string]any{"space": e.space.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	var rows []string
	for _, rec := range res.Records {
		rows = append(rows, fmt.Sprint(rec.Values[0]))
	}
	return strings.Join(rows, "\n")
}

// TestConcurrentGroupCallsGiveTheSameAccounts sends group calls for three
// accounts, and identifies that merge their senders, from eight writers at
// once: however the transactions interleave and the driver retries them,
// the accounts, their traits and their links are those of one writer.
func TestConcurrentGroupCallsGiveTheSameAccounts(t *testing.T) {
	var lines []string
	for p := 0; p < 24; p++ {
		for k := 0; k < 3; k++ {
			lines = append(lines,
				fmt.Sprintf(`{"type":"group","messageId":"g%d-%d","anonymousId":"a%d-%d","groupId":"co%d","traits":{"plan":"p%d-%d","seen_%d":true},"timestamp":"2020-01-01T%02d:%02d:00Z"}`, p, k, p, k, p%3, p, k, p%2, k, p),
				fmt.Sprintf(`{"type":"identify","messageId":"i%d-%d","userId":"u%d","anonymousId":"a%d-%d","timestamp":"2020-01-02T%02d:%02d:00Z"}`, p, k, p, p, k, k, p))
		}
	}
	serial := newEnv(t, idgraph.DefaultRules())
	serial.resolve(segkicks, lines...)
	parallel := newEnv(t, idgraph.DefaultRules())
	parallel.resolveConcurrently(lines, 8, 4, func(i, w int) bool { return (i+w)%4 == 0 })
	if got, want := parallel.accountsView(), serial.accountsView(); got != want {
		t.Errorf("accounts differ:\nparallel:\n%s\nserial:\n%s", got, want)
	}
	if n := strings.Count(serial.accountsView(), "\n") + 1; n != 24 {
		t.Errorf("%d account links, want 24: one per person", n)
	}
	parallel.mustCheck()
}
