package ingest

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"time"

	"github.com/idgraph/idgraph"
)

// WriterBatch describes one batch a Writer sent to the store.
type WriterBatch struct {
	SpaceID string
	// Sources are the sources of the batch's events, in the order their
	// first calls queued: one, or several through a store that takes them
	// together (idgraph.LockedResolutionService).
	Sources []BatchSource
	Events  int // events in the batch
	Callers int // Write calls grouped into it
	// Result is the store's count for the whole batch; zero when Err is set.
	Result idgraph.BatchResult
	Err    error
	// Waited is how long the batch's first caller was queued before the
	// batch was sent; Took is how long the store took.
	Waited time.Duration
	Took   time.Duration
}

// BatchSource is one source's share of a batch: its events, and how many
// of them the store loaded (the rest were duplicates); Loaded is zero when
// the batch failed.
type BatchSource struct {
	SourceID string
	Events   int
	Loaded   int
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
	w.settle(q, batch, res, err)
}

// settle hands every caller of batch the outcome of sending it, or, when
// it failed for a reason that may be one caller's, commits each half
// apart. A call that failed alone for a reason of its own is logged.
func (w *Writer) settle(q *writeQueue, batch []*writeCall, res idgraph.BatchResult, err error) {
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

// commitLocked sends the store a batch chosen once it holds the space's
// lock (idgraph.LockedResolutionService), and settles it as commit does. When the
// store fails before it chose a batch (the lock could not be taken), the
// batch is taken anyway and answered with the error, so that no caller
// waits on a store that cannot answer.
func (w *Writer) commitLocked(q *writeQueue, store idgraph.LockedResolutionService) {
	var batch []*writeCall
	var taken time.Time
	start := time.Now()
	var loaded map[string]int
	res, err := w.guard(0, func(ctx context.Context) (idgraph.BatchResult, error) {
		res, bySource, err := store.ResolveLocked(ctx, q.space, func() []idgraph.SourceEvents {
			batch, taken = w.takeWrites(q), time.Now()
			return sourceEventsOf(batch)
		})
		loaded = bySource
		return res, err
	})
	if batch == nil && err != nil {
		batch, taken = w.takeWrites(q), time.Now()
	}
	if len(batch) == 0 {
		return
	}
	if err != nil {
		res = idgraph.BatchResult{}
	}
	w.observe(q, batch, res, loaded, err, taken, time.Since(start))
	w.settle(q, batch, res, err)
}

// eventsOf is the events of batch's calls, in order.
func eventsOf(batch []*writeCall) []idgraph.Event {
	n := 0
	for _, c := range batch {
		n += len(c.events)
	}
	events := make([]idgraph.Event, 0, n)
	for _, c := range batch {
		events = append(events, c.events...)
	}
	return events
}

// sourceEventsOf is the events of batch's calls grouped by source, the
// sources in the order their first calls queued, each source's events in
// the order its calls queued (sources are independent of each other).
func sourceEventsOf(batch []*writeCall) []idgraph.SourceEvents {
	var groups []idgraph.SourceEvents
	for _, c := range batch {
		i := slices.IndexFunc(groups, func(g idgraph.SourceEvents) bool { return g.Source.ID == c.source.ID })
		if i < 0 {
			i = len(groups)
			groups = append(groups, idgraph.SourceEvents{Source: c.source})
		}
		groups[i].Events = append(groups[i].Events, c.events...)
	}
	return groups
}

// send sends batch's events to the store as one Resolve call and reports it
// to Observe.
func (w *Writer) send(q *writeQueue, batch []*writeCall) (idgraph.BatchResult, error) {
	events := eventsOf(batch)
	start := time.Now()
	res, err := w.resolve(q, batch[0].source, events)
	took := time.Since(start)
	if err != nil {
		res = idgraph.BatchResult{}
	}
	w.observe(q, batch, res, map[string]int{batch[0].source.ID: res.Loaded}, err, start, took)
	return res, err
}

// observe reports a batch sent to the store at start to Observe; loaded
// counts the events loaded by source.
func (w *Writer) observe(q *writeQueue, batch []*writeCall, res idgraph.BatchResult, loaded map[string]int, err error, start time.Time, took time.Duration) {
	if w.opts.Observe == nil {
		return
	}
	n := 0
	var sources []BatchSource
	for _, c := range batch {
		n += len(c.events)
		i := slices.IndexFunc(sources, func(s BatchSource) bool { return s.SourceID == c.source.ID })
		if i < 0 {
			i = len(sources)
			sources = append(sources, BatchSource{SourceID: c.source.ID})
		}
		sources[i].Events += len(c.events)
	}
	if err == nil {
		for i := range sources {
			sources[i].Loaded = loaded[sources[i].SourceID]
		}
	}
	w.opts.Observe(WriterBatch{
		SpaceID: q.space.ID, Sources: sources,
		Events: n, Callers: len(batch),
		Result: res, Err: err,
		Waited: start.Sub(batch[0].queued), Took: took,
	})
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
func (w *Writer) resolve(q *writeQueue, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	return w.guard(len(events), func(ctx context.Context) (idgraph.BatchResult, error) {
		return w.store.Resolve(ctx, q.space, source, events)
	})
}

// guard runs fn with a context of its own bounded by Timeout; a panic
// becomes an EINTERNAL error (n says how large the batch was, 0 when it is
// chosen inside fn).
func (w *Writer) guard(n int, fn func(context.Context) (idgraph.BatchResult, error)) (res idgraph.BatchResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			what := "resolve a batch"
			if n > 0 {
				what = fmt.Sprintf("resolve a batch of %d events", n)
			}
			res, err = idgraph.BatchResult{}, idgraph.WrapError(idgraph.EINTERNAL, fmt.Errorf("panic: %v\n%s", r, debug.Stack()), "%s", what)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), w.opts.Timeout)
	defer cancel()
	return fn(ctx)
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
