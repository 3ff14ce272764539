package ingest

import (
	"context"
	"sync"
	"time"

	"github.com/idgraph/idgraph"
)

// writeQueue holds the calls waiting to be written to one space. One
// goroutine per space writes its batches one after another, so the
// transactions of one process never contend with each other for a space's
// identifiers (no lock waits, no deadlocks to retry); several replicas'
// transactions take turns on the space's lock, which the store takes first
// (graph/lock.go).
type writeQueue struct {
	space idgraph.Space
	wake  chan struct{} // buffered: one token means "look again"

	mu      sync.Mutex
	pending []*writeCall
	closed  bool
}

// writeCall is one Write waiting for its batch, or one Exclusive call
// (exclusive set), which runs alone.
type writeCall struct {
	exclusive func(context.Context) error
	source    idgraph.Source
	events    []idgraph.Event
	ids       int // the identifiers of events
	queued    time.Time
	started   bool // set, under the queue's lock, when its batch is taken
	done      chan struct{}
	res       idgraph.BatchResult
	err       error
}

// queue returns the queue of space, starting its goroutine the first time;
// nil once the writer is closed.
func (w *Writer) queue(space idgraph.Space) *writeQueue {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	q, ok := w.queues[space.ID]
	if !ok {
		q = &writeQueue{space: space, wake: make(chan struct{}, 1)}
		w.queues[space.ID] = q
		w.wg.Add(1)
		go w.run(q)
	}
	return q
}

// signal wakes q's goroutine to look at q again; it never blocks.
func (q *writeQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// run writes q's batches until q is closed and empty. When the store can
// take the space's lock before the batch is chosen, a batch of writes is
// taken only once the lock is held (commitLocked).
func (w *Writer) run(q *writeQueue) {
	defer w.wg.Done()
	locked, _ := w.store.(idgraph.LockedResolutionService)
	for {
		if locked != nil && w.ready(q) && !q.exclusiveFirst() {
			w.commitLocked(q, locked)
			continue
		}
		batch, ok := w.next(q)
		if !ok {
			return
		}
		switch {
		case len(batch) == 1 && batch[0].exclusive != nil:
			w.runExclusive(batch[0])
		case len(batch) > 0:
			w.commit(q, batch)
		}
	}
}

// next waits for a queued call, gives others up to MaxWait to join it, and
// takes the batch. It returns false when q is closed and empty, and an
// empty batch when every waiting call gave up meanwhile.
func (w *Writer) next(q *writeQueue) ([]*writeCall, bool) {
	if !w.ready(q) {
		return nil, false
	}
	return w.take(q), true
}

// ready waits for a queued call and gives others up to MaxWait to join it;
// false when q is closed and empty.
func (w *Writer) ready(q *writeQueue) bool {
	if !q.wait() {
		return false
	}
	if w.opts.MaxWait > 0 {
		w.gather(q)
	}
	return true
}

// exclusiveFirst reports whether the first queued call, if any, is an
// exclusive one.
func (q *writeQueue) exclusiveFirst() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending) > 0 && q.pending[0].exclusive != nil
}

// takeWrites is take for a store that writes several sources' events in
// one transaction (commitLocked): it takes the queued calls of every
// source, and never an exclusive call: nil when one is first.
func (w *Writer) takeWrites(q *writeQueue) []*writeCall {
	if q.exclusiveFirst() {
		return nil
	}
	return w.takeFrom(q, true)
}

// wait returns once a call is queued (true), or q is closed and empty.
func (q *writeQueue) wait() bool {
	for {
		q.mu.Lock()
		n, closed := len(q.pending), q.closed
		q.mu.Unlock()
		if n > 0 {
			return true
		}
		if closed {
			return false
		}
		<-q.wake
	}
}

// take takes the batch: the first queued call and the calls after it from
// the same source, whole, in order, up to MaxBatch events and
// MaxIdentifiers identifiers (a batch is one Resolve call, of one source),
// never past an exclusive call. Calls of
// other sources keep their place for the next batch. An exclusive call
// first in line is taken alone.
func (w *Writer) take(q *writeQueue) []*writeCall {
	return w.takeFrom(q, false)
}

// takeFrom is take; with anySource it takes the calls of every source
// alike, in the order they queued.
func (w *Writer) takeFrom(q *writeQueue, anySource bool) []*writeCall {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) == 0 {
		return nil
	}
	if first := q.pending[0]; first.exclusive != nil {
		first.started = true
		q.pending = q.pending[1:]
		return []*writeCall{first}
	}
	source := q.pending[0].source.ID
	var batch, rest []*writeCall
	size, ids, full, fenced := 0, 0, false, false
	for _, c := range q.pending {
		// Nothing queued after an exclusive call goes before it.
		fenced = fenced || c.exclusive != nil
		over := len(batch) > 0 && (size+len(c.events) > w.opts.MaxBatch || ids+c.ids > w.opts.MaxIdentifiers)
		same := anySource || c.source.ID == source
		if fenced || !same || full || over {
			// A call of the batch's source that does not fit closes the
			// batch, so that its later calls keep their order behind it.
			full = full || same
			rest = append(rest, c)
			continue
		}
		c.started = true
		size += len(c.events)
		ids += c.ids
		batch = append(batch, c)
	}
	q.pending = rest
	return batch
}

// gather gives more calls time to join the batch: it returns once
// MaxBatch events or MaxIdentifiers identifiers have queued, q is closed, or the oldest queued call has
// waited MaxWait (at once when it already has, as after a long commit).
func (w *Writer) gather(q *writeQueue) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		q.mu.Lock()
		size, ids, closed := 0, 0, q.closed
		for _, c := range q.pending {
			size += len(c.events)
			ids += c.ids
		}
		var wait time.Duration
		if len(q.pending) > 0 {
			wait = time.Until(q.pending[0].queued.Add(w.opts.MaxWait))
		}
		q.mu.Unlock()
		if closed || size >= w.opts.MaxBatch || ids >= w.opts.MaxIdentifiers || wait <= 0 {
			return
		}
		if timer == nil {
			timer = time.NewTimer(wait)
		}
		select {
		case <-q.wake:
		case <-timer.C:
			return
		}
	}
}
