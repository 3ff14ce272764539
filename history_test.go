package idgraph

import (
	"slices"
	"testing"
	"time"
)

func TestSortHistory(t *testing.T) {
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := id("anonymous_id:a1"), id("user_id:u1")
	entries := []HistoryEntry{
		{At: t0.Add(time.Hour), Kind: HistoryIdentifierAdded, Identifier: &b},
		{At: t0, Kind: HistoryMerged, MergedProfileID: "prf_b"},
		{At: t0, Kind: HistoryMerged, MergedProfileID: "prf_a"},
		{At: t0, Kind: HistoryIdentifierAdded, Identifier: &b},
		{At: t0, Kind: HistoryIdentifierAdded, Identifier: &a},
		{At: t0, Kind: HistoryCreated},
	}
	SortHistory(entries)
	var got []string
	for _, e := range entries {
		p := e.Position()
		got = append(got, p.At.Format("15:04")+" "+p.Kind+" "+p.Key)
	}
	want := []string{
		"00:00 created ",
		"00:00 identifier_added anonymous_id:a1",
		"00:00 identifier_added user_id:u1",
		"00:00 merged prf_a",
		"00:00 merged prf_b",
		"01:00 identifier_added user_id:u1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("history order:\n got %q\nwant %q", got, want)
	}
	for i := 1; i < len(entries); i++ {
		if p, q := entries[i-1].Position(), entries[i].Position(); !p.Before(q) || q.Before(p) {
			t.Errorf("position %d (%+v) is not before position %d (%+v)", i-1, p, i, q)
		}
	}
}

// TestHistoryOrdersCorrections puts what a correction did at its time in
// cause-and-effect order, and CompactHistory keeps one entry per position.
func TestHistoryOrdersCorrections(t *testing.T) {
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	b := id("anonymous_id:b1")
	entries := []HistoryEntry{
		{At: t0, Kind: HistoryIdentifierLeft, Identifier: &b, CorrectionID: "cor_1"},
		{At: t0, Kind: HistoryMerged, MergedProfileID: "prf_b", MessageID: "lnk_1"},
		{At: t0, Kind: HistoryIdentifierAdded, Identifier: &b, CorrectionID: "cor_1"},
		{At: t0, Kind: HistorySplit, CorrectionID: "cor_1"},
		{At: t0, Kind: HistoryLinked, CorrectionID: "cor_2"},
		{At: t0, Kind: HistoryIdentifierAdded, Identifier: &b, MessageID: "m1"},
		{At: t0, Kind: HistoryCreated, CorrectionID: "cor_1"},
	}
	entries = CompactHistory(entries)
	var got []string
	for _, e := range entries {
		p := e.Position()
		got = append(got, p.Kind+" "+p.Key)
	}
	want := []string{
		"created cor_1",
		"linked cor_2",
		"split cor_1",
		"identifier_added anonymous_id:b1",
		"merged prf_b",
		"identifier_left anonymous_id:b1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("history order:\n got %q\nwant %q", got, want)
	}
	if entries[3].CorrectionID != "cor_1" {
		t.Errorf("of two entries at one position, kept %+v, want the first", entries[3])
	}
}
