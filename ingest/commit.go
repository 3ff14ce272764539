package ingest

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/idgraph/idgraph"
)

// WriterBatch describes one batch a Writer sent to the store.
type WriterBatch struct {
	SpaceID  string
	SourceID string
	Events   int // events in the batch
	Callers  int // Write calls grouped into it
	// Result is the store's count for the whole batch; zero when Err is set.
	Result idgraph.BatchResult
	Err    error
	// Waited is how long the batch's first caller was queued before the
	// batch was sent; Took is how long the store took.
	Waited time.Duration
	Took   time.Duration
}

// commit sends batch to the store as one Resolve call and hands every
// caller the outcome.
//
// A shared transaction that fails for a reason that may be one caller's
// (isolable) is retried apart: each half of the callers in a Resolve call
// of its own, and so on down, so that a poisoned request fails alone and
// the others commit. Every caller still answers once, with its own part's
// outcome.
func (w *Writer) commit(q *writeQueue, batch []*writeCall) {
	res, err := w.send(q, batch)
	if err != nil && len(batch) > 1 && isolable(err) {
		half := len(batch) / 2
		w.commit(q, batch[:half])
		w.commit(q, batch[half:])
		return
	}
	if err != nil && isolable(err) {
		w.logFailed(q, batch[0], err)
	}
	for _, c := range batch {
		c.res, c.err = res, err
		close(c.done)
	}
}

// isolable reports whether a failed batch is worth retrying apart: not
// when the database is unreachable or refuses idgraph's credentials, which
// no caller's events cause.
func isolable(err error) bool {
	switch idgraph.ErrorCode(err) {
	case idgraph.EUNAVAILABLE, idgraph.EUNAUTHORIZED:
		return false
	}
	return true
}

// send sends batch's events to the store as one Resolve call and reports it
// to Observe.
func (w *Writer) send(q *writeQueue, batch []*writeCall) (idgraph.BatchResult, error) {
	n := 0
	for _, c := range batch {
		n += len(c.events)
	}
	events := make([]idgraph.Event, 0, n)
	for _, c := range batch {
		events = append(events, c.events...)
	}
	start := time.Now()
	res, err := w.resolve(q, batch[0].source, events)
	took := time.Since(start)
	if err != nil {
		res = idgraph.BatchResult{}
	}
	if w.opts.Observe != nil {
		w.opts.Observe(WriterBatch{
			SpaceID: q.space.ID, SourceID: batch[0].source.ID,
			Events: n, Callers: len(batch),
			Result: res, Err: err,
			Waited: start.Sub(batch[0].queued), Took: took,
		})
	}
	return res, err
}

// logFailed logs a call whose events failed alone, for a reason of their
// own, with their message ids (the first maxLoggedIDs of them).
func (w *Writer) logFailed(q *writeQueue, c *writeCall, err error) {
	ids := make([]string, 0, min(len(c.events), maxLoggedIDs))
	for _, e := range c.events[:cap(ids)] {
		ids = append(ids, e.MessageID)
	}
	w.opts.Logger.Warn("events not written",
		"space", q.space.ID, "source", c.source.ID, "events", len(c.events),
		"message_ids", ids, "code", idgraph.ErrorCode(err), "error", err.Error())
}

// maxLoggedIDs bounds the message ids logged for one failed call.
const maxLoggedIDs = 20

// resolve calls the store; a panic becomes an EINTERNAL error for the
// batch's callers instead of killing the queue and leaving them waiting.
// The store gets a context of its own: no caller's cancellation may abort
// a batch other callers share.
func (w *Writer) resolve(q *writeQueue, source idgraph.Source, events []idgraph.Event) (res idgraph.BatchResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = idgraph.BatchResult{}, idgraph.WrapError(idgraph.EINTERNAL, fmt.Errorf("panic: %v\n%s", r, debug.Stack()), "resolve a batch of %d events", len(events))
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), w.opts.Timeout)
	defer cancel()
	return w.store.Resolve(ctx, q.space, source, events)
}

// runExclusive runs an Exclusive call's function with a context of its own
// bounded by Timeout; a panic becomes an EINTERNAL error for its caller.
func (w *Writer) runExclusive(c *writeCall) {
	defer close(c.done)
	defer func() {
		if r := recover(); r != nil {
			c.err = idgraph.WrapError(idgraph.EINTERNAL, fmt.Errorf("panic: %v\n%s", r, debug.Stack()), "run an exclusive call")
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), w.opts.Timeout)
	defer cancel()
	c.err = c.exclusive(ctx)
}
