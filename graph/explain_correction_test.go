package graph_test

import (
	"reflect"
	"testing"

	"github.com/idgraph/idgraph"
)

// TestExplainNamesTheNeverDecision: a never decision between two profiles
// is why they are apart, for the two it names and for any members of the
// two profiles.
func TestExplainNamesTheNeverDecision(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m2","userId":"u2","anonymousId":"a2","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m3","userId":"u3","timestamp":"2020-01-01T00:00:00Z"}`,
	)
	d := e.decision("anonymous_id:a1", "anonymous_id:a2", idgraph.DecisionNever, "two shoppers")
	if _, err := e.store.Link(e.ctx, e.space, d, false); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"anonymous_id:a1", "anonymous_id:a2"}, {"user_id:u2", "user_id:u1"}} {
		x, err := e.store.Explain(e.ctx, e.space.ID, mustID(pair[0]), mustID(pair[1]))
		if err != nil {
			t.Fatal(err)
		}
		if want := []idgraph.DecisionRef{{LinkDecision: d}}; x.Together || !reflect.DeepEqual(x.Decisions, want) {
			t.Errorf("explain %s %s: together %v, decisions %+v; want apart by %+v", pair[0], pair[1], x.Together, x.Decisions, want)
		}
	}
	x, err := e.store.Explain(e.ctx, e.space.ID, mustID("user_id:u1"), mustID("user_id:u3"))
	if err != nil || len(x.Decisions) != 0 || len(x.Cuts) != 0 {
		t.Errorf("explain u1 u3 = %+v, %v; want no decision and no cut between profiles no decision names", x, err)
	}
	if _, err := e.store.Unlink(e.ctx, e.space, d.ID, "ops"); err != nil {
		t.Fatal(err)
	}
	if x, err := e.store.Explain(e.ctx, e.space.ID, mustID("anonymous_id:a1"), mustID("anonymous_id:a2")); err != nil || len(x.Decisions) != 0 {
		t.Errorf("after the decision is removed: %+v, %v; want no decision", x.Decisions, err)
	}
}

// TestExplainAfterSplit: a split apart cuts the kiosk's link to the shopper
// and records a never decision; explain names both.
func TestExplainAfterSplit(t *testing.T) {
	e := kioskStory(t)
	jane, b1, kiosk := mustID("user_id:jane"), mustID("anonymous_id:b1"), mustID("android.id:kiosk")
	plan, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Apart: []idgraph.Identifier{jane, b1}, Reason: "kiosk"}, "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, from := range []idgraph.Identifier{jane, kiosk} {
		x, err := e.store.Explain(e.ctx, e.space.ID, from, b1)
		if err != nil {
			t.Fatal(err)
		}
		if want := []idgraph.DecisionRef{{LinkDecision: plan.Never[0]}}; x.Together || !reflect.DeepEqual(x.Decisions, want) {
			t.Errorf("explain %s b1: decisions %+v, want %+v", from, x.Decisions, want)
		}
		want := []idgraph.CutRef{{From: kiosk, To: b1, Count: 1, At: plan.At, Actor: "ops", Reason: "kiosk", CorrectionID: plan.CorrectionID}}
		if !reflect.DeepEqual(x.Cuts, want) {
			t.Errorf("explain %s b1: cuts %+v, want %+v", from, x.Cuts, want)
		}
	}
}

// TestExplainNamesTheDecisionOfAManualRejection: a REJECTED link of the
// rule manual:never names its decision, which explain lists even when the
// decision's own identifiers are elsewhere now.
func TestExplainNamesTheDecisionOfAManualRejection(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"u1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m2","userId":"u2","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m3","userId":"u3","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"track","event":"x","messageId":"m4","anonymousId":"c","timestamp":"2020-01-02T00:00:00Z"}`,
	)
	d := e.decision("user_id:u2", "user_id:u3", idgraph.DecisionNever, "twins")
	if _, err := e.store.Link(e.ctx, e.space, d, false); err != nil {
		t.Fatal(err)
	}
	// The write path records such a link when the decision refuses a join.
	if _, err := e.db.Query(e.ctx, "test: manual rejection", `
		MATCH (c:Identifier {space: $space, type: 'anonymous_id', value: 'c'}), (u:Identifier {space: $space, type: 'user_id', value: 'u1'})
		CREATE (c)-[:REJECTED {rule: $rule, detail: $detail, at: datetime('2020-01-02T00:00:00Z'), message_id: 'm4', source_id: 'segkicks', count: 1}]->(u)`,
		map[string]any{"space": e.space.ID, "rule": idgraph.RuleManualNever, "detail": "never decision " + d.ID + " by ops: user_id:u2 and user_id:u3 are never in one profile"}); err != nil {
		t.Fatal(err)
	}
	x, err := e.store.Explain(e.ctx, e.space.ID, mustID("anonymous_id:c"), mustID("user_id:u1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Rejections) != 1 || len(x.Decisions) != 1 || x.Decisions[0].ID != d.ID || x.Decisions[0].Reason != "twins" || x.Decisions[0].Actor != "ops" {
		t.Errorf("explain c u1: rejections %+v, decisions %+v; want the rejection and the decision %s it names", x.Rejections, x.Decisions, d.ID)
	}
}

// TestExplainNamesTheAlwaysDecision: two identifiers an always decision
// joined are together through a hop whose evidence is the decision's
// manual event; explain names the decision, and still does once it is
// removed (its link stays).
func TestExplainNamesTheAlwaysDecision(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"track","event":"x","messageId":"m2","anonymousId":"a2","timestamp":"2020-01-01T00:00:00Z"}`,
	)
	d := e.decision("anonymous_id:a1", "anonymous_id:a2", idgraph.DecisionAlways, "same browser")
	if _, err := e.store.Link(e.ctx, e.space, d, false); err != nil {
		t.Fatal(err)
	}
	hop := func() idgraph.Hop {
		x, err := e.store.Explain(e.ctx, e.space.ID, mustID("user_id:u1"), mustID("anonymous_id:a2"))
		if err != nil || !x.Together || len(x.Path) != 2 {
			t.Fatalf("explain u1 a2 = %+v, %v; want together through two hops", x, err)
		}
		if x.Path[0].Decision != nil {
			t.Errorf("hop u1-a1 cites %+v, want no decision: events joined them", x.Path[0].Decision)
		}
		return x.Path[1]
	}
	if h := hop(); h.Decision == nil || !reflect.DeepEqual(*h.Decision, idgraph.DecisionRef{LinkDecision: d}) {
		t.Errorf("hop a1-a2 decision = %+v, want %+v", h.Decision, d)
	}
	if _, err := e.store.Unlink(e.ctx, e.space, d.ID, "support"); err != nil {
		t.Fatal(err)
	}
	want := idgraph.DecisionRef{LinkDecision: d, Removed: true}
	if h := hop(); h.Decision == nil || !reflect.DeepEqual(*h.Decision, want) {
		t.Errorf("after the decision is removed, hop a1-a2 decision = %+v, want %+v", h.Decision, want)
	}
}

// TestExplainNamesTheCutsThroughARemovedBridge takes the kiosk, which
// bridged Jane and the shopper, out on its own: no link joined the two
// directly, but the two the correction cut at the kiosk did.
func TestExplainNamesTheCutsThroughARemovedBridge(t *testing.T) {
	e := kioskStory(t)
	jane, b1, kiosk := mustID("user_id:jane"), mustID("anonymous_id:b1"), mustID("android.id:kiosk")
	plan, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Identifiers: []idgraph.Identifier{kiosk}, Forget: true, Reason: "shared kiosk"}, "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	x, err := e.store.Explain(e.ctx, e.space.ID, jane, b1)
	if err != nil {
		t.Fatal(err)
	}
	cut := func(a, b idgraph.Identifier, count int) idgraph.CutRef {
		return idgraph.CutRef{From: a, To: b, Count: count, At: plan.At, Actor: "ops", Reason: "shared kiosk", CorrectionID: plan.CorrectionID}
	}
	want := []idgraph.CutRef{cut(kiosk, b1, 1), cut(kiosk, jane, 2)}
	if x.Together || len(x.Decisions) != 0 || !reflect.DeepEqual(x.Cuts, want) {
		t.Errorf("explain jane b1: together %v, decisions %+v, cuts %+v; want apart by the cuts %+v", x.Together, x.Decisions, x.Cuts, want)
	}
}
