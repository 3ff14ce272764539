package graph_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// TestHistoryAfterSplit splits the kiosk's shopper out of Jane's profile:
// Jane's history still shows the shopper joining, then the split and the
// shopper leaving for the new profile; the new profile's history starts
// with its creation by the split, citing it.
func TestHistoryAfterSplit(t *testing.T) {
	e := kioskStory(t)
	jane, b1, kiosk := mustID("user_id:jane"), mustID("anonymous_id:b1"), mustID("android.id:kiosk")
	plan, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Apart: []idgraph.Identifier{jane, b1}, Reason: "kiosk"}, "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	old, part, cor, at := plan.ProfileID, plan.Parts[1].ProfileID, plan.CorrectionID, plan.At
	detail := &idgraph.CorrectionDetail{
		Cut: []idgraph.CutLink{{A: kiosk, B: b1, Count: 1}},
		Parts: []idgraph.CorrectionPart{
			{ProfileID: old, Identifiers: []idgraph.Identifier{kiosk, mustID("email:jane@x.com"), jane}, Kept: true},
			{ProfileID: part, Identifiers: []idgraph.Identifier{b1}},
		},
		Never: []string{plan.Never[0].ID},
	}
	split := func(profileID string) idgraph.HistoryEntry {
		return idgraph.HistoryEntry{At: at, Kind: idgraph.HistorySplit, ProfileID: profileID, CorrectionID: cor, Actor: "ops", Reason: "kiosk", Detail: detail}
	}
	day := func(d int) time.Time { return time.Date(2020, 1, d, 0, 0, 0, 0, time.UTC) }
	added := func(at time.Time, profileID, id, msg string) idgraph.HistoryEntry {
		i := mustID(id)
		return idgraph.HistoryEntry{At: at, Kind: idgraph.HistoryIdentifierAdded, ProfileID: profileID, Identifier: &i, MessageID: msg, SourceID: "segkicks"}
	}
	byCorrection := func(h idgraph.HistoryEntry) idgraph.HistoryEntry {
		h.MessageID, h.SourceID, h.CorrectionID, h.Actor, h.Reason = "", "", cor, "ops", "kiosk"
		return h
	}

	want := []idgraph.HistoryEntry{
		{At: day(1), Kind: idgraph.HistoryCreated, ProfileID: old, MessageID: "j1", SourceID: "segkicks"},
		added(day(1), old, "android.id:kiosk", "j1"),
		added(day(1), old, "email:jane@x.com", "j1"),
		added(day(1), old, "user_id:jane", "j1"),
		added(day(2), old, "anonymous_id:b1", "s1"),
		split(old),
		{At: at, Kind: idgraph.HistoryIdentifierLeft, ProfileID: old, Identifier: &b1, CorrectionID: cor, Actor: "ops", Reason: "kiosk", ToProfileID: part},
	}
	e.wantHistory(jane, want)

	want = []idgraph.HistoryEntry{
		byCorrection(idgraph.HistoryEntry{At: at, Kind: idgraph.HistoryCreated, ProfileID: part}),
		split(part),
		byCorrection(added(at, part, "anonymous_id:b1", "")),
	}
	e.wantHistory(b1, want)
}

// TestHistoryOfDecisions makes and removes a never decision between two
// profiles, and joins two others with an always decision: every profile
// the decisions touched tells who decided what, and the always decision
// comes before the merge it made.
func TestHistoryOfDecisions(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m2","userId":"u2","anonymousId":"a2","timestamp":"2020-01-02T00:00:00Z"}`,
		`{"type":"track","event":"x","messageId":"m3","anonymousId":"a3","timestamp":"2020-01-03T00:00:00Z"}`,
	)
	a1, a2, a3 := mustID("anonymous_id:a1"), mustID("anonymous_id:a2"), mustID("anonymous_id:a3")
	never := e.decision(a1.String(), a2.String(), idgraph.DecisionNever, "two shoppers")
	if _, err := e.store.Link(e.ctx, e.space, never, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Unlink(e.ctx, e.space, never.ID, "support"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []idgraph.Identifier{a1, a2} {
		got := e.corrections(id)
		if len(got) != 2 || got[0].Kind != idgraph.HistoryLinked || got[1].Kind != idgraph.HistoryUnlinked {
			t.Fatalf("%s: corrections %s, want linked then unlinked", id, historyText(got))
		}
		want := &idgraph.CorrectionDetail{DecisionID: never.ID, Decision: idgraph.DecisionNever, A: &a1, B: &a2}
		for i, actor := range []string{"ops", "support"} {
			if h := got[i]; h.Actor != actor || h.Reason != "two shoppers" || h.CorrectionID == "" || !reflect.DeepEqual(h.Detail, want) {
				t.Errorf("%s: %s entry = %+v detail %+v, want by %s, the reason, a correction id and %+v", id, h.Kind, h, h.Detail, actor, want)
			}
		}
		p, _ := e.store.Profile(e.ctx, e.space.ID, id)
		if got[0].ProfileID != p.ID {
			t.Errorf("%s: linked entry is about profile %s, want its own %s", id, got[0].ProfileID, p.ID)
		}
	}

	always := e.decision(a1.String(), a3.String(), idgraph.DecisionAlways, "same browser")
	res, err := e.store.Link(e.ctx, e.space, always, false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.store.History(e.ctx, e.space.ID, a3)
	if err != nil {
		t.Fatal(err)
	}
	var tail []string
	for _, h := range got[len(got)-2:] {
		tail = append(tail, h.Kind+" "+h.MessageID+h.CorrectionID)
	}
	linked := got[len(got)-2]
	if len(tail) != 2 || linked.Kind != idgraph.HistoryLinked || got[len(got)-1].Kind != idgraph.HistoryMerged ||
		got[len(got)-1].MessageID != always.ID || got[len(got)-1].SourceID != idgraph.ManualSourceID {
		t.Fatalf("history ends %q, want the linked decision, then the merge its manual event %s made", tail, always.ID)
	}
	if linked.ProfileID != res.ProfileID || linked.Actor != "ops" || linked.Reason != "same browser" || linked.Detail.DecisionID != always.ID || linked.Detail.Decision != idgraph.DecisionAlways {
		t.Errorf("linked entry = %+v detail %+v, want decision %s by ops in %s", linked, linked.Detail, always.ID, res.ProfileID)
	}
}

// TestHistoryFollowsCorrectionsThroughMerges splits the shopper out of
// Jane's profile, then merges the shopper's new profile into an older one:
// the survivor's history tells the split of the profile it took in.
func TestHistoryFollowsCorrectionsThroughMerges(t *testing.T) {
	e := kioskStory(t)
	jane, b1 := mustID("user_id:jane"), mustID("anonymous_id:b1")
	e.resolve(segkicks, `{"type":"track","event":"Viewed","messageId":"b2-1","anonymousId":"b2","timestamp":"2020-01-03T00:00:00Z"}`)
	plan, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Identifiers: []idgraph.Identifier{b1}, Reason: "kiosk"}, "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	part := plan.Parts[1].ProfileID
	after := time.Now().UTC().Add(time.Minute).Truncate(time.Millisecond)
	e.resolve(segkicks, `{"type":"identify","messageId":"b12","anonymousId":"b1","userId":"shopper","timestamp":"`+after.Format(time.RFC3339Nano)+`"}`,
		`{"type":"identify","messageId":"b22","anonymousId":"b2","userId":"shopper","timestamp":"`+after.Add(time.Second).Format(time.RFC3339Nano)+`"}`)
	survivor, err := e.store.Profile(e.ctx, e.space.ID, b1)
	if err != nil {
		t.Fatal(err)
	}
	if survivor.ID == part || survivor.ID == plan.ProfileID {
		t.Fatalf("the shopper's profile %s did not merge into b2's", survivor.ID)
	}
	got, err := e.store.History(e.ctx, e.space.ID, b1)
	if err != nil {
		t.Fatal(err)
	}
	var split, merged *idgraph.HistoryEntry
	for i, h := range got {
		switch {
		case h.Kind == idgraph.HistorySplit:
			split = &got[i]
		case h.Kind == idgraph.HistoryMerged && h.MergedProfileID == part:
			merged = &got[i]
		}
	}
	if split == nil || split.CorrectionID != plan.CorrectionID || split.ProfileID != part || split.Actor != "ops" || split.Detail == nil || len(split.Detail.Parts) != 2 {
		t.Errorf("history %s\nwant the split %s of the profile merged in (%s), with its parts", historyText(got), plan.CorrectionID, part)
	}
	if merged == nil || merged.ProfileID != survivor.ID || merged.MessageID != "b22" {
		t.Errorf("history %s\nwant %s merged into %s by b22", historyText(got), part, survivor.ID)
	}
	if split != nil && merged != nil && !split.At.Before(merged.At) {
		t.Errorf("split at %s, merge at %s: want the split first", split.At, merged.At)
	}
	// Jane's history is not the shopper's: the split is there, the merge is not.
	for _, h := range e.corrections(jane) {
		if h.CorrectionID != plan.CorrectionID {
			t.Errorf("Jane's corrections: %s, want only the split", historyText([]idgraph.HistoryEntry{h}))
		}
	}
}

// wantHistory compares the history of the profile holding id with want.
func (e *env) wantHistory(id idgraph.Identifier, want []idgraph.HistoryEntry) {
	e.t.Helper()
	got, err := e.store.History(e.ctx, e.space.ID, id)
	if err != nil {
		e.t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		e.t.Errorf("history of %s:\n got %s\nwant %s", id, historyText(got), historyText(want))
		for i := range min(len(got), len(want)) {
			if !reflect.DeepEqual(got[i], want[i]) {
				e.t.Errorf("entry %d:\n got %+v %+v\nwant %+v %+v", i, got[i], got[i].Detail, want[i], want[i].Detail)
			}
		}
	}
}

// corrections returns the corrections' own entries in the history of the
// profile holding id.
func (e *env) corrections(id idgraph.Identifier) []idgraph.HistoryEntry {
	e.t.Helper()
	got, err := e.store.History(e.ctx, e.space.ID, id)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []idgraph.HistoryEntry
	for _, h := range got {
		if h.IsCorrection() {
			out = append(out, h)
		}
	}
	return out
}
