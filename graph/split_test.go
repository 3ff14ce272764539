package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
)

// kioskStory glues a shopper's anonymous session to Jane's profile through
// a kiosk tablet: Jane signs in on it twice, then another shopper browses
// on it anonymously.
func kioskStory(t *testing.T) *env {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"j1","userId":"jane","traits":{"email":"jane@x.com","name":"Jane"},"context":{"device":{"id":"kiosk","type":"android"}},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"j2","userId":"jane","traits":{"plan":"gold"},"context":{"device":{"id":"kiosk","type":"android"}},"timestamp":"2020-01-01T01:00:00Z"}`,
		`{"type":"track","event":"Viewed","messageId":"s1","anonymousId":"b1","context":{"device":{"id":"kiosk","type":"android"}},"timestamp":"2020-01-02T00:00:00Z"}`,
		`{"type":"identify","messageId":"s2","anonymousId":"b1","traits":{"name":"Shopper","cart":"red shoes"},"timestamp":"2020-01-02T00:05:00Z"}`,
	)
	if got := e.profileOf("anonymous_id:b1"); !slices.Contains(got, "user_id:jane") {
		t.Fatalf("the kiosk did not glue the shopper to Jane: %v", got)
	}
	return e
}

func TestSplitApartCutsTheWeakestLink(t *testing.T) {
	e := kioskStory(t)
	jane, b1 := mustID("user_id:jane"), mustID("anonymous_id:b1")
	before, err := e.store.Profile(e.ctx, e.space.ID, jane)
	if err != nil {
		t.Fatal(err)
	}

	preview, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Apart: []idgraph.Identifier{jane, b1}, Reason: "kiosk"}, "ops", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(preview.Cut) != 1 || preview.Cut[0].A.String() != "android.id:kiosk" || preview.Cut[0].B != b1 || preview.CorrectionID != "" {
		t.Errorf("preview cut %+v (correction %q), want the one kiosk-b1 link and no correction", preview.Cut, preview.CorrectionID)
	}
	if got := e.profileOf("anonymous_id:b1"); !slices.Contains(got, "user_id:jane") {
		t.Errorf("a preview wrote: b1's profile is now %v", got)
	}

	plan, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Apart: []idgraph.Identifier{jane, b1}, Reason: "kiosk"}, "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.profileOf("user_id:jane"), []string{"android.id:kiosk", "email:jane@x.com", "user_id:jane"}; !slices.Equal(got, want) {
		t.Errorf("Jane's profile = %v, want %v", got, want)
	}
	if got, want := e.profileOf("anonymous_id:b1"), []string{"anonymous_id:b1"}; !slices.Equal(got, want) {
		t.Errorf("the shopper's profile = %v, want %v", got, want)
	}
	kept, err := e.store.Profile(e.ctx, e.space.ID, jane)
	if err != nil {
		t.Fatal(err)
	}
	shopper, err := e.store.Profile(e.ctx, e.space.ID, b1)
	if err != nil {
		t.Fatal(err)
	}
	if kept.ID != before.ID || shopper.ID == before.ID || shopper.ID != plan.Parts[1].ProfileID {
		t.Errorf("ids: Jane %s (was %s), shopper %s (plan %s); want Jane to keep hers", kept.ID, before.ID, shopper.ID, plan.Parts[1].ProfileID)
	}
	// Each part's traits come from its own events only.
	if _, ok := kept.Traits["cart"]; ok || kept.Traits["name"].Value != "Jane" || kept.Traits["plan"].Value != "gold" {
		t.Errorf("Jane's traits = %v, want name Jane and plan gold, no cart", kept.Traits)
	}
	if shopper.Traits["name"].Value != "Shopper" || shopper.Traits["cart"].Value != "red shoes" || len(shopper.Traits) != 2 {
		t.Errorf("the shopper's traits = %v, want name Shopper and cart", shopper.Traits)
	}
	// Events follow identifiers: s1 carried the kiosk and b1, so both see it.
	janeEvents, _ := e.store.Events(e.ctx, e.space.ID, jane, idgraph.EventQuery{Limit: 10})
	shopperEvents, _ := e.store.Events(e.ctx, e.space.ID, b1, idgraph.EventQuery{Limit: 10})
	if got := messageIDs(janeEvents); !slices.Equal(got, []string{"s1", "j2", "j1"}) {
		t.Errorf("Jane's events = %v, want s1, j2, j1", got)
	}
	if got := messageIDs(shopperEvents); !slices.Equal(got, []string{"s2", "s1"}) {
		t.Errorf("the shopper's events = %v, want s2, s1", got)
	}
	// The cut link is kept as evidence, marked.
	cut := e.cutLinks()
	if len(cut) != 1 || cut[0] != "android.id:kiosk-anonymous_id:b1 by ops (kiosk) "+plan.CorrectionID {
		t.Errorf("CUT links = %v, want the kiosk-b1 link cut by ops", cut)
	}
	// A never decision remembers the split.
	if len(plan.Never) != 1 || plan.Never[0].A != b1 || plan.Never[0].B != jane {
		t.Errorf("never = %+v, want one between the two named identifiers", plan.Never)
	}
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil || !rep.OK() {
		t.Errorf("check after the split: %+v, %v", rep.Violations, err)
	}
}

func TestSplitIdentifiersAndErrors(t *testing.T) {
	e := kioskStory(t)
	jane := mustID("user_id:jane")
	plan, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Identifiers: []idgraph.Identifier{mustID("android.id:kiosk"), mustID("anonymous_id:b1")}, Forget: true}, "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Never) != 0 {
		t.Errorf("forget: never = %v, want none", plan.Never)
	}
	if got, want := e.profileOf("android.id:kiosk"), []string{"android.id:kiosk", "anonymous_id:b1"}; !slices.Equal(got, want) {
		t.Errorf("the kiosk's profile = %v, want %v", got, want)
	}
	tests := []struct {
		name  string
		id    string
		split idgraph.Split
		code  string
		want  string
	}{
		{"unknown identifier", "user_id:nobody", idgraph.Split{Identifiers: []idgraph.Identifier{jane}}, idgraph.ENOTFOUND, "user_id:nobody"},
		{"not in the profile", "user_id:jane", idgraph.Split{Identifiers: []idgraph.Identifier{mustID("anonymous_id:b1")}}, idgraph.ECONFLICT, "anonymous_id:b1"},
		{"moves everything", "user_id:jane", idgraph.Split{Identifiers: []idgraph.Identifier{jane, mustID("email:jane@x.com")}}, idgraph.EINVALID, "move them all"},
		{"unknown event", "user_id:jane", idgraph.Split{Event: &idgraph.EventKey{SourceID: "segkicks", MessageID: "nope"}}, idgraph.ENOTFOUND, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.store.Split(e.ctx, e.space, mustID(tt.id), tt.split, "ops", false)
			if idgraph.ErrorCode(err) != tt.code || !strings.Contains(idgraph.ErrorMessage(err), tt.want) {
				t.Errorf("Split = %v, want %s naming %q", err, tt.code, tt.want)
			}
		})
	}
	if got := e.profileOf("user_id:jane"); len(got) != 2 {
		t.Errorf("a refused split wrote: Jane's profile is %v", got)
	}
}

func TestSplitUndoesAnEvent(t *testing.T) {
	e := kioskStory(t)
	_, err := e.store.Split(e.ctx, e.space, mustID("anonymous_id:b1"), idgraph.Split{Event: &idgraph.EventKey{SourceID: "segkicks", MessageID: "s1"}}, "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.profileOf("anonymous_id:b1"), []string{"anonymous_id:b1"}; !slices.Equal(got, want) {
		t.Errorf("after undoing s1, the shopper's profile = %v, want %v", got, want)
	}
}

// cutLinks lists the space's CUT relationships as "a-b by actor (reason) correction".
func (e *env) cutLinks() []string {
	e.t.Helper()
	res, err := e.db.ReadQuery(e.ctx, "test: cut links", `
		MATCH (a:Identifier {space: $space})-[c:CUT]->(b:Identifier)
		WHERE NOT (a)-[:OBSERVED_WITH]-(b)
		RETURN a.type + ':' + a.value + '-' + b.type + ':' + b.value + ' by ' + c.cut_by + ' (' + c.cut_reason + ') ' + c.correction_id AS text
		ORDER BY text`, map[string]any{"space": e.space.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, rec := range res.Records {
		s, _, _ := neo4j.GetRecordValue[string](rec, "text")
		out = append(out, s)
	}
	return out
}

var _ idgraph.CorrectionService = (*graph.Store)(nil)

func TestRemoveABridgeSplitsTheProfile(t *testing.T) {
	e := kioskStory(t)
	jane, kiosk := mustID("user_id:jane"), mustID("android.id:kiosk")
	before, _ := e.store.Profile(e.ctx, e.space.ID, jane)
	rm, err := e.store.Remove(e.ctx, e.space, jane, kiosk, "a shared tablet", "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rm.Parts) != 3 || rm.Parts[0].ProfileID != before.ID {
		t.Errorf("parts = %+v, want three, the first keeping %s", rm.Parts, before.ID)
	}
	if got, want := e.profileOf("user_id:jane"), []string{"email:jane@x.com", "user_id:jane"}; !slices.Equal(got, want) {
		t.Errorf("Jane = %v, want %v", got, want)
	}
	if got, want := e.profileOf("android.id:kiosk"), []string{"android.id:kiosk"}; !slices.Equal(got, want) {
		t.Errorf("the kiosk = %v, want %v", got, want)
	}
	if got, want := e.profileOf("anonymous_id:b1"), []string{"anonymous_id:b1"}; !slices.Equal(got, want) {
		t.Errorf("the shopper = %v, want %v", got, want)
	}
	e.mustCheck()

	// Suppressed, it is gone for good: a later event carrying it leaves it out.
	if _, err := e.store.Remove(e.ctx, e.space, kiosk, kiosk, "", "ops", true); idgraph.ErrorCode(err) != idgraph.EINVALID {
		t.Errorf("removing a profile's only identifier = %v, want EINVALID", err)
	}
	if _, err := e.store.Remove(e.ctx, e.space, jane, mustID("email:jane@x.com"), "", "ops", true); err != nil {
		t.Fatal(err)
	}
	e.resolve(segkicks, `{"type":"identify","messageId":"j9","userId":"jane","traits":{"email":"jane@x.com"},"timestamp":"2020-02-01T00:00:00Z"}`)
	if got, want := e.profileOf("user_id:jane"), []string{"user_id:jane"}; !slices.Equal(got, want) {
		t.Errorf("after suppressing the email, Jane = %v, want %v", got, want)
	}
	if got := e.profileOf("email:jane@x.com"); got != nil {
		t.Errorf("the suppressed email came back: %v", got)
	}
	if _, err := e.store.Remove(e.ctx, e.space, jane, mustID("anonymous_id:b1"), "", "ops", false); idgraph.ErrorCode(err) != idgraph.ECONFLICT {
		t.Errorf("removing an identifier of another profile = %v, want ECONFLICT", err)
	}
	e.mustCheck()
}
