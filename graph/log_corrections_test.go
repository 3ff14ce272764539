package graph_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// TestCorrectionLog splits the kiosk's shopper out of Jane's profile, makes
// and removes a never decision and takes an identifier out, then reads the
// space's corrections newest first: all of them, a page at a time, and by
// kind, actor and time.
func TestCorrectionLog(t *testing.T) {
	e := kioskStory(t)
	jane, b1 := mustID("user_id:jane"), mustID("anonymous_id:b1")
	plan, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Apart: []idgraph.Identifier{jane, b1}, Reason: "kiosk"}, "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	wait := func() { time.Sleep(2 * time.Millisecond) } // one correction a millisecond: an order to test
	wait()
	d, err := idgraph.NewLinkDecision(mustID("email:jane@x.com"), b1, idgraph.DecisionNever, "two people", "support", time.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Link(e.ctx, e.space, d, false); err != nil {
		t.Fatal(err)
	}
	wait()
	if _, err := e.store.Unlink(e.ctx, e.space, d.ID, "support"); err != nil {
		t.Fatal(err)
	}
	wait()
	if _, err := e.store.Remove(e.ctx, e.space, jane, mustID("email:jane@x.com"), "typo", "ops", false); err != nil {
		t.Fatal(err)
	}

	read := func(q idgraph.CorrectionQuery, size int) []idgraph.Correction {
		return walkLog(t, size, func(after *idgraph.LogCursor, limit int) (idgraph.LogPage[idgraph.Correction], error) {
			q.After, q.Limit = after, limit
			return e.store.Corrections(e.ctx, e.space.ID, q)
		})
	}
	kinds := func(cs []idgraph.Correction) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Kind+" by "+c.Actor)
		}
		return out
	}
	all := read(idgraph.CorrectionQuery{}, 100)
	want := []string{"identifier_removed by ops", "unlinked by support", "linked by support", "split by ops"}
	if got := kinds(all); !slices.Equal(got, want) {
		t.Fatalf("corrections = %q, want %q", got, want)
	}
	split := all[3]
	wantIDs := []string{plan.ProfileID, plan.Parts[1].ProfileID}
	slices.Sort(wantIDs)
	if split.ID != plan.CorrectionID || !split.At.Equal(plan.At) || split.Reason != "kiosk" || split.ProfileID != plan.ProfileID ||
		!slices.Equal(split.ProfileIDs, wantIDs) || split.Detail == nil || len(split.Detail.Cut) != 1 || len(split.Detail.Parts) != 2 {
		t.Errorf("the split = %+v, want correction %s of %s changing %v, with its cut and parts", split, plan.CorrectionID, plan.ProfileID, wantIDs)
	}
	if linked := all[2]; linked.Detail == nil || linked.Detail.DecisionID != d.ID || linked.Detail.Decision != idgraph.DecisionNever || linked.Reason != "two people" {
		t.Errorf("the decision made = %+v, want it to name %s", linked, d.ID)
	}
	if got := kinds(read(idgraph.CorrectionQuery{}, 1)); !slices.Equal(got, want) {
		t.Errorf("corrections one a page = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		name string
		q    idgraph.CorrectionQuery
		want []string
	}{
		{"kind linked", idgraph.CorrectionQuery{Kind: idgraph.HistoryLinked}, want[2:3]},
		{"actor support", idgraph.CorrectionQuery{Actor: "support"}, want[1:3]},
		{"actor ops, kind split", idgraph.CorrectionQuery{Actor: "ops", Kind: idgraph.HistorySplit}, want[3:]},
		{"since the decision", idgraph.CorrectionQuery{LogQuery: idgraph.LogQuery{Since: all[2].At}}, want[:3]},
		{"until the decision", idgraph.CorrectionQuery{LogQuery: idgraph.LogQuery{Until: all[2].At}}, want[3:]},
		{"actor nobody", idgraph.CorrectionQuery{Actor: "nobody"}, nil},
	} {
		if got := kinds(read(tt.q, 1)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestLogsRefuseBadQueries: the store checks what it is asked, naming the
// field at fault.
func TestLogsRefuseBadQueries(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	_, until := e.store.Merges(e.ctx, e.space.ID, idgraph.LogQuery{Since: day(2), Until: day(1)})
	_, rule := e.store.Rejections(e.ctx, e.space.ID, idgraph.RejectionQuery{Rule: "limit"})
	_, kind := e.store.Corrections(e.ctx, e.space.ID, idgraph.CorrectionQuery{Kind: "merged"})
	for name, err := range map[string]error{"until": until, "rule": rule, "kind": kind} {
		var e *idgraph.Error
		if !errors.As(err, &e) || e.Code != idgraph.EINVALID || len(e.Problems) != 1 || e.Problems[0].Field != name {
			t.Errorf("%s: error %v, want EINVALID naming %s", name, err, name)
		}
	}
}
