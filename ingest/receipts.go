package ingest

import (
	"sync"
	"time"

	"github.com/idgraph/idgraph"
)

// Bounds of what receipts remember: an SDK's retries of a request are
// over within minutes (Segment's Go library gives up after about 40 s),
// and an outage long enough to fill maxReceipts forgets the oldest first.
const (
	maxReceipts   = 100_000
	receiptMaxAge = 15 * time.Minute
)

// receipts remembers when the events of a failed Write were first
// received, so that a client's resend of the same request (the same
// message id from the same source, with the same sentAt) is corrected for
// clock skew as of that first receipt (idgraph.Event.Resent), not stored
// as late as the client took to retry. It lives in one process: a resend
// that reaches another replica is corrected as Segment does, from its own
// receipt. It is safe for concurrent use.
type receipts struct {
	mu    sync.Mutex
	first map[receiptKey]receipt
	order []receiptKey // oldest first; may name keys since forgotten
}

type receiptKey struct{ space, source, messageID string }

// receipt is an event's sentAt and first receipt, and when the Writer
// remembered it.
type receipt struct{ sentAt, received, at time.Time }

// failed remembers the first receipt of events, which were not written.
func (r *receipts) failed(space, source string, events []idgraph.Event) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.first == nil {
		r.first = map[receiptKey]receipt{}
	}
	for _, e := range events {
		k := receiptKey{space, source, e.MessageID}
		if _, ok := r.first[k]; !ok {
			r.first[k] = receipt{e.SentAt, e.ReceivedAt, now}
			r.order = append(r.order, k)
		}
	}
	for len(r.order) > 0 {
		k := r.order[0]
		if rec, ok := r.first[k]; ok && len(r.first) <= maxReceipts && now.Sub(rec.at) < receiptMaxAge {
			break
		}
		delete(r.first, k)
		r.order = r.order[1:]
	}
}

// resent returns events with each resend of a failed event corrected as
// of its first receipt (a copy when any is; events itself is not changed),
// and forgets those receipts: the events are about to be written.
func (r *receipts) resent(space, source string, events []idgraph.Event) []idgraph.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.first) == 0 {
		return events
	}
	out := events
	for i, e := range events {
		k := receiptKey{space, source, e.MessageID}
		rec, ok := r.first[k]
		if !ok {
			continue
		}
		delete(r.first, k)
		if !rec.sentAt.Equal(e.SentAt) {
			continue // sent anew, with a sentAt of its own: nothing to undo
		}
		if &out[0] == &events[0] {
			out = append([]idgraph.Event(nil), events...)
		}
		out[i].Resent(rec.received)
	}
	return out
}
