package graph_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

func (e *env) decision(a, b, decision, reason string) idgraph.LinkDecision {
	e.t.Helper()
	d, err := idgraph.NewLinkDecision(mustID(a), mustID(b), decision, reason, "ops", time.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func TestLinkNeverBetweenProfiles(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m2","userId":"u2","anonymousId":"a2","timestamp":"2020-01-01T00:00:00Z"}`,
	)
	d := e.decision("anonymous_id:a1", "anonymous_id:a2", idgraph.DecisionNever, "two shoppers")
	res, err := e.store.Link(e.ctx, e.space, d, false)
	if err != nil || !res.Created || res.Split != nil {
		t.Fatalf("Link = %+v, %v; want it created, nothing split", res, err)
	}
	again, err := e.store.Link(e.ctx, e.space, e.decision("anonymous_id:a2", "anonymous_id:a1", idgraph.DecisionNever, ""), false)
	if err != nil || again.Created || again.Decision.ID != d.ID {
		t.Errorf("the same decision again = %+v, %v; want the first one, not created", again, err)
	}
	_, err = e.store.Link(e.ctx, e.space, e.decision("anonymous_id:a1", "anonymous_id:a2", idgraph.DecisionAlways, ""), false)
	if idgraph.ErrorCode(err) != idgraph.ECONFLICT || !strings.Contains(idgraph.ErrorMessage(err), d.ID) {
		t.Errorf("an always against the never = %v, want ECONFLICT naming %s", err, d.ID)
	}
	a1 := mustID("anonymous_id:a1")
	list, err := e.store.Links(e.ctx, e.space.ID, &a1, nil, 10)
	if err != nil || len(list) != 1 || list[0].ID != d.ID || list[0].Reason != "two shoppers" || list[0].Actor != "ops" {
		t.Errorf("Links(a1) = %+v, %v; want the decision", list, err)
	}
	other := mustID("user_id:u1")
	if list, _ := e.store.Links(e.ctx, e.space.ID, &other, nil, 10); len(list) != 0 {
		t.Errorf("Links(u1) = %+v, want none", list)
	}
	gone, err := e.store.Unlink(e.ctx, e.space, d.ID, "ops")
	if err != nil || gone.ID != d.ID {
		t.Errorf("Unlink = %+v, %v", gone, err)
	}
	if _, err := e.store.Unlink(e.ctx, e.space, d.ID, "ops"); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("Unlink twice = %v, want ENOTFOUND", err)
	}
	if _, err := e.store.Link(e.ctx, e.space, e.decision("anonymous_id:a1", "anonymous_id:nobody", idgraph.DecisionNever, ""), false); idgraph.ErrorCode(err) != idgraph.ENOTFOUND || !strings.Contains(idgraph.ErrorMessage(err), "anonymous_id:nobody") {
		t.Errorf("Link to an unknown identifier = %v, want ENOTFOUND naming it", err)
	}
}

func TestLinkNeverBetweenTogetherNeedsSplit(t *testing.T) {
	e := kioskStory(t)
	d := e.decision("user_id:jane", "anonymous_id:b1", idgraph.DecisionNever, "kiosk")
	_, err := e.store.Link(e.ctx, e.space, d, false)
	if idgraph.ErrorCode(err) != idgraph.ECONFLICT || !strings.Contains(idgraph.ErrorMessage(err), "android.id:kiosk - anonymous_id:b1 (1 event)") {
		t.Fatalf("never between two of one profile = %v, want ECONFLICT with the minimum cut", err)
	}
	if got := e.profileOf("anonymous_id:b1"); !slices.Contains(got, "user_id:jane") {
		t.Errorf("a refused never wrote: %v", got)
	}
	res, err := e.store.Link(e.ctx, e.space, d, true)
	if err != nil || res.Split == nil || len(res.Split.Parts) != 2 || len(res.Split.Never) != 0 {
		t.Fatalf("never with split = %+v, %v; want the split applied, the decision itself remembered", res, err)
	}
	if got := e.profileOf("anonymous_id:b1"); slices.Contains(got, "user_id:jane") {
		t.Errorf("after the never with split, the shopper is still with Jane: %v", got)
	}
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil || !rep.OK() {
		t.Errorf("check: %+v, %v", rep.Violations, err)
	}
}

func TestLinkAlwaysJoinsUnderTheRules(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"track","event":"x","messageId":"m2","anonymousId":"a2","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m3","userId":"u3","timestamp":"2020-01-01T00:00:00Z"}`,
	)
	d := e.decision("anonymous_id:a1", "anonymous_id:a2", idgraph.DecisionAlways, "same browser")
	res, err := e.store.Link(e.ctx, e.space, d, false)
	if err != nil || !res.Created || res.ProfileID == "" {
		t.Fatalf("always = %+v, %v", res, err)
	}
	if got, want := e.profileOf("anonymous_id:a2"), []string{"anonymous_id:a1", "anonymous_id:a2", "user_id:u1"}; !slices.Equal(got, want) {
		t.Errorf("after always: %v, want %v", got, want)
	}
	x, err := e.store.Explain(e.ctx, e.space.ID, mustID("anonymous_id:a1"), mustID("anonymous_id:a2"))
	if err != nil || !x.Together || len(x.Path) != 1 || x.Path[0].FirstEvent.SourceID != idgraph.ManualSourceID || x.Path[0].FirstEvent.MessageID != d.ID {
		t.Errorf("explain = %+v, %v; want one hop whose evidence is the manual decision", x, err)
	}
	// Two user ids: the limit refuses, nothing is written.
	_, err = e.store.Link(e.ctx, e.space, e.decision("user_id:u1", "user_id:u3", idgraph.DecisionAlways, ""), false)
	if idgraph.ErrorCode(err) != idgraph.ECONFLICT || !strings.Contains(idgraph.ErrorMessage(err), "limit:user_id") {
		t.Errorf("always across the user_id limit = %v, want ECONFLICT naming limit:user_id", err)
	}
	u3 := mustID("user_id:u3")
	if list, _ := e.store.Links(e.ctx, e.space.ID, &u3, nil, 10); len(list) != 0 {
		t.Errorf("a refused always was recorded: %+v", list)
	}
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil || !rep.OK() {
		t.Errorf("check: %+v, %v", rep.Violations, err)
	}
}

// TestNeverHoldsForLaterEvents: after a split remembered as a never decision,
// the kiosk keeps sending events that carry both parts; they stay apart,
// each refusal recorded as a manual:never REJECTED link.
func TestNeverHoldsForLaterEvents(t *testing.T) {
	e := kioskStory(t)
	jane, b1 := mustID("user_id:jane"), mustID("anonymous_id:b1")
	if _, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Apart: []idgraph.Identifier{jane, b1}}, "ops", false); err != nil {
		t.Fatal(err)
	}
	res := e.resolve(segkicks,
		`{"type":"track","event":"Viewed","messageId":"s9","anonymousId":"b1","context":{"device":{"id":"kiosk","type":"android"}},"timestamp":"2020-01-03T00:00:00Z"}`,
		`{"type":"identify","messageId":"j9","userId":"jane","anonymousId":"b1","timestamp":"2020-01-03T01:00:00Z"}`,
	)
	if res.Rejections != 2 || res.Merges != 0 {
		t.Errorf("resolve = %+v, want two refusals and no merge", res)
	}
	if got := e.profileOf("anonymous_id:b1"); slices.Contains(got, "user_id:jane") {
		t.Errorf("the never decision did not hold: %v", got)
	}
	x, err := e.store.Explain(e.ctx, e.space.ID, jane, b1)
	if err != nil || x.Together || !slices.ContainsFunc(x.Rejections, func(r idgraph.RejectionRef) bool { return r.Rule == idgraph.RuleManualNever }) {
		t.Errorf("explain = %+v, %v; want apart with a manual:never rejection", x, err)
	}
	e.mustCheck()
}
