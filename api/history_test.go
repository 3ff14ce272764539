package api_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// splitHistory is the history of a profile a split made, with everything
// a correction puts in an entry, and of the profile it left.
func splitHistory() []idgraph.HistoryEntry {
	at := t0.Add(24 * time.Hour)
	b1 := idgraph.Identifier{Type: "anonymous_id", Value: "b1"}
	kiosk := idgraph.Identifier{Type: "android.id", Value: "kiosk"}
	detail := &idgraph.CorrectionDetail{
		Cut: []idgraph.CutLink{{A: kiosk, B: b1, Count: 1}},
		Parts: []idgraph.CorrectionPart{
			{ProfileID: "prf_1", Identifiers: []idgraph.Identifier{kiosk, uid}, Kept: true},
			{ProfileID: "prf_2", Identifiers: []idgraph.Identifier{b1}},
		},
		Never: []string{"lnk_1"},
	}
	by := func(h idgraph.HistoryEntry) idgraph.HistoryEntry {
		h.CorrectionID, h.Actor, h.Reason = "cor_1", "ops", "kiosk"
		return h
	}
	return []idgraph.HistoryEntry{
		by(idgraph.HistoryEntry{At: at, Kind: idgraph.HistoryIdentifierLeft, ProfileID: "prf_1", Identifier: &b1, ToProfileID: "prf_2"}),
		by(idgraph.HistoryEntry{At: at, Kind: idgraph.HistoryIdentifierAdded, ProfileID: "prf_2", Identifier: &b1}),
		by(idgraph.HistoryEntry{At: at, Kind: idgraph.HistorySplit, ProfileID: "prf_2", Detail: detail}),
		by(idgraph.HistoryEntry{At: at, Kind: idgraph.HistoryCreated, ProfileID: "prf_2"}),
		by(idgraph.HistoryEntry{At: at, Kind: idgraph.HistoryLinked, ProfileID: "prf_2", CorrectionID: "cor_2",
			Detail: &idgraph.CorrectionDetail{DecisionID: "lnk_2", Decision: idgraph.DecisionNever, A: &b1, B: &uid}}),
	}
}

// TestHistoryTellsCorrections pages through a history of corrections, one
// entry a page: the cursor keeps entries of one time apart, they come
// cause first, and each answer is the documented shape.
func TestHistoryTellsCorrections(t *testing.T) {
	doc := openapiDoc(t)
	store, spaces := newProfileStore(), testSpaces(t)
	store.history = splitHistory()
	var got []idgraph.HistoryEntry
	next := ""
	for range 10 {
		target := usersPath + "user_id:u1/history?limit=1"
		if next != "" {
			target += "&next=" + next
		}
		rec := call(t, store, spaces, "GET", target, alphaToken)
		checkAnswer(t, doc, "GET", "/v1/spaces/{space}/collections/users/profiles/{id}/history", rec)
		var page struct {
			Data   []idgraph.HistoryEntry `json:"data"`
			Cursor cursorOf               `json:"cursor"`
		}
		decode(t, rec, &page)
		got = append(got, page.Data...)
		if !page.Cursor.HasMore {
			break
		}
		next = page.Cursor.Next
	}
	want := splitHistory()
	want = []idgraph.HistoryEntry{want[3], want[4], want[2], want[1], want[0]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history pages:\n got %+v\nwant %+v", got, want)
	}
}
