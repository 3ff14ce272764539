package graph_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

func TestHistorySeedStory(t *testing.T) {
	e := seedStory(t)
	id := mustID("anonymous_id:anon_789")
	got, err := e.store.History(e.ctx, e.space.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.store.Profile(e.ctx, e.space.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, h, m int) time.Time { return time.Date(2019, 11, day, h, m, 0, 0, time.UTC) }
	added := func(t time.Time, id, msg, src string) idgraph.HistoryEntry {
		i := mustID(id)
		return idgraph.HistoryEntry{At: t, Kind: idgraph.HistoryIdentifierAdded, ProfileID: p.ID, Identifier: &i, MessageID: msg, SourceID: src}
	}
	want := []idgraph.HistoryEntry{
		{At: at(15, 9, 0), Kind: idgraph.HistoryCreated, ProfileID: p.ID, MessageID: "segkicks-1", SourceID: "segkicks"},
		added(at(15, 9, 0), "anonymous_id:anon_123", "segkicks-1", "segkicks"),
		added(at(15, 9, 0), "ios.id:ios_abc123", "segkicks-1", "segkicks"),
		added(at(15, 9, 20), "email:jane.doe@gmail.com", "segkicks-5", "segkicks"),
		added(at(15, 9, 20), "user_id:abc123def", "segkicks-5", "segkicks"),
		added(at(16, 8, 0), "android.id:and_1a2b3c4d", "segkicks-7", "segkicks"),
		added(at(16, 8, 0), "anonymous_id:anon_456", "segkicks-7", "segkicks"),
		added(at(16, 18, 30), "anonymous_id:anon_789", "segruns-1", "segruns"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history:\n got %s\nwant %s", historyText(got), historyText(want))
	}
}

// TestHistoryFollowsMergesTransitively merges b into a, d into c, then c
// into a: a's history shows all three merges, each with its event.
func TestHistoryFollowsMergesTransitively(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"page","messageId":"m1","anonymousId":"a","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"page","messageId":"m2","anonymousId":"b","timestamp":"2020-01-02T00:00:00Z"}`,
		`{"type":"page","messageId":"m3","anonymousId":"c","timestamp":"2020-01-03T00:00:00Z"}`,
		`{"type":"page","messageId":"m4","anonymousId":"d","timestamp":"2020-01-04T00:00:00Z"}`)
	profileID := func(s string) string {
		p, err := e.store.Profile(e.ctx, e.space.ID, mustID(s))
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	pa, pb, pc, pd := profileID("anonymous_id:a"), profileID("anonymous_id:b"), profileID("anonymous_id:c"), profileID("anonymous_id:d")
	e.resolve(segkicks, `{"type":"identify","messageId":"m5","userId":"u","anonymousId":"a","timestamp":"2020-01-05T00:00:00Z"}`)
	e.resolve(segruns,
		`{"type":"identify","messageId":"m6","userId":"u","anonymousId":"b","timestamp":"2020-01-06T00:00:00Z"}`,
		`{"type":"identify","messageId":"m7","anonymousId":"c","traits":{"email":"c@x.io"},"timestamp":"2020-01-07T00:00:00Z"}`,
		`{"type":"identify","messageId":"m8","anonymousId":"d","traits":{"email":"c@x.io"},"timestamp":"2020-01-08T00:00:00Z"}`)
	e.resolve(segkicks, `{"type":"identify","messageId":"m10","userId":"u","traits":{"email":"c@x.io"},"timestamp":"2020-01-10T00:00:00Z"}`)

	got, err := e.store.History(e.ctx, e.space.ID, mustID("anonymous_id:d"))
	if err != nil {
		t.Fatal(err)
	}
	var merges []idgraph.HistoryEntry
	for _, h := range got {
		if h.Kind == idgraph.HistoryMerged {
			merges = append(merges, h)
		}
	}
	day := func(d int) time.Time { return time.Date(2020, 1, d, 0, 0, 0, 0, time.UTC) }
	want := []idgraph.HistoryEntry{
		{At: day(6), Kind: idgraph.HistoryMerged, ProfileID: pa, MergedProfileID: pb, MessageID: "m6", SourceID: "segruns"},
		{At: day(8), Kind: idgraph.HistoryMerged, ProfileID: pc, MergedProfileID: pd, MessageID: "m8", SourceID: "segruns"},
		{At: day(10), Kind: idgraph.HistoryMerged, ProfileID: pa, MergedProfileID: pc, MessageID: "m10", SourceID: "segkicks"},
	}
	if !reflect.DeepEqual(merges, want) {
		t.Errorf("merges:\n got %s\nwant %s", historyText(merges), historyText(want))
	}
	if got[0].Kind != idgraph.HistoryCreated || got[0].ProfileID != pa || !got[0].At.Equal(day(1)) {
		t.Errorf("first entry = %+v, want a's profile created on day 1", got[0])
	}
	for i := 1; i < len(got); i++ {
		if got[i].At.Before(got[i-1].At) {
			t.Errorf("entry %d (%s) is older than entry %d (%s): want oldest first", i, got[i].At, i-1, got[i-1].At)
		}
	}
	if n := len(got) - len(merges) - 1; n != 6 {
		t.Errorf("%d identifier_added entries, want 6 (a, b, c, d, u, c@x.io)", n)
	}
}

func TestHistoryUnknownIdentifier(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	_, err := e.store.History(e.ctx, e.space.ID, mustID("user_id:nobody"))
	if code := idgraph.ErrorCode(err); code != idgraph.ENOTFOUND {
		t.Errorf("History of an unknown identifier: %v (code %q), want %s", err, code, idgraph.ENOTFOUND)
	}
}

func historyText(hs []idgraph.HistoryEntry) string {
	s := ""
	for _, h := range hs {
		id := ""
		if h.Identifier != nil {
			id = h.Identifier.String()
		}
		s += "\n  " + h.At.Format(time.RFC3339) + " " + h.Kind + " " + h.ProfileID + " " + id + h.MergedProfileID + " " + h.MessageID + "/" + h.SourceID
		if h.CorrectionID != "" {
			s += " " + h.CorrectionID + " by " + h.Actor + " (" + h.Reason + ")"
		}
		if h.ToProfileID != "" {
			s += " to " + h.ToProfileID
		}
	}
	return s
}
