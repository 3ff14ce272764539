package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// TestWriterCorrectsAResendAsOfItsFirstReceipt: a client whose request
// failed (Neo4j down) sends it again unchanged, sentAt included, 34 s
// later. The event's time is corrected for clock skew as of the first
// receipt, not stored 34 s late; an event sent anew, with a sentAt of its
// own, is corrected from its own receipt as always.
func TestWriterCorrectsAResendAsOfItsFirstReceipt(t *testing.T) {
	store := newRecordingResolver()
	w := NewWriter(store, WriterOptions{MaxWait: -1})
	defer w.Close()
	ctx := context.Background()

	first := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	again := first.Add(34 * time.Second)
	parse := func(id, sentAt string, received time.Time) idgraph.Event {
		t.Helper()
		e, err := idgraph.ParseEvent([]byte(`{"type":"track","event":"x","userId":"u","messageId":"`+id+
			`","timestamp":"2026-01-02T03:04:03Z","sentAt":"`+sentAt+`"}`), received)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	const sentAt, sentAnew = "2026-01-02T03:04:05Z", "2026-01-02T03:04:39Z"
	sent := []idgraph.Event{parse("kept", sentAt, first), parse("anew", sentAt, first), parse("other-source", sentAt, first)}

	store.set(func(r *recordingResolver) { r.err = idgraph.Errorf(idgraph.EUNAVAILABLE, "neo4j unreachable") })
	if _, err := w.Write(ctx, writerSpace, writerSource, sent[:2]); idgraph.ErrorCode(err) != idgraph.EUNAVAILABLE {
		t.Fatalf("with the store down: %v, want EUNAVAILABLE", err)
	}
	if _, err := w.Write(ctx, writerSpace, idgraph.Source{ID: "src2"}, sent[2:]); idgraph.ErrorCode(err) != idgraph.EUNAVAILABLE {
		t.Fatalf("with the store down: %v, want EUNAVAILABLE", err)
	}
	store.set(func(r *recordingResolver) { r.err = nil })

	resent := []idgraph.Event{parse("kept", sentAt, again), parse("anew", sentAnew, again), parse("other-source", sentAt, again)}
	if _, err := w.Write(ctx, writerSpace, writerSource, resent); err != nil {
		t.Fatalf("resend: %v", err)
	}
	batches := store.recorded()
	got := batches[len(batches)-1]
	want := map[string]time.Time{
		"kept":         first.Add(-2 * time.Second), // as first received
		"anew":         again.Add(-36 * time.Second),
		"other-source": again.Add(-2 * time.Second), // failed from another source: not this send
	}
	for _, e := range got {
		if !e.Timestamp.Equal(want[e.MessageID]) {
			t.Errorf("%s: timestamp %v, want %v", e.MessageID, e.Timestamp, want[e.MessageID])
		}
		if !e.ReceivedAt.Equal(again) {
			t.Errorf("%s: receivedAt %v, want the resend's, %v", e.MessageID, e.ReceivedAt, again)
		}
	}
	if resent[0].Timestamp.Equal(want["kept"]) {
		t.Error("Write changed its caller's events")
	}

	// Written, the first receipt is forgotten: sending again is a replay,
	// corrected from its own receipt.
	later := again.Add(time.Minute)
	if _, err := w.Write(ctx, writerSpace, writerSource, []idgraph.Event{parse("kept", sentAt, later)}); err != nil {
		t.Fatal(err)
	}
	batches = store.recorded()
	if e := batches[len(batches)-1][0]; !e.Timestamp.Equal(later.Add(-2 * time.Second)) {
		t.Errorf("after it was written, a replay's timestamp %v, want %v", e.Timestamp, later.Add(-2*time.Second))
	}
}

func TestReceiptsForgetTheOldest(t *testing.T) {
	var r receipts
	r.failed("s", "src", []idgraph.Event{{MessageID: "old"}})
	r.first[receiptKey{"s", "src", "old"}] = receipt{at: time.Now().Add(-receiptMaxAge - time.Minute)}
	r.failed("s", "src", []idgraph.Event{{MessageID: "new"}})
	if _, ok := r.first[receiptKey{"s", "src", "old"}]; ok {
		t.Errorf("a receipt older than %s is still remembered", receiptMaxAge)
	}
	if _, ok := r.first[receiptKey{"s", "src", "new"}]; !ok || len(r.order) != 1 {
		t.Errorf("remembered %v in order %v, want the new receipt alone", r.first, r.order)
	}
}
