package ingest

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/idgraph/idgraph"
)

// Writer defaults.
const (
	DefaultMaxBatch = 500
	DefaultMaxWait  = 2 * time.Millisecond
	// DefaultTimeout bounds one batch, retries included. A batch takes a
	// tenth of a second when all is well, and a cold server planning its
	// queries under load has been seen to take 8 s; past 30 s the database
	// is not coming back soon, and the callers hear 503 (a client that gave
	// up earlier retries, and its events then count as duplicates).
	DefaultTimeout = 30 * time.Second
)

// WriterOptions tune a Writer. The zero value gives the defaults.
type WriterOptions struct {
	// MaxBatch is how many events one batch gathers from several callers;
	// DefaultMaxBatch when zero. A caller's events are never split, so a
	// caller with more events than MaxBatch is written alone, in one batch.
	MaxBatch int
	// MaxWait is how long a queued caller may wait for more callers to
	// join its batch; DefaultMaxWait when zero, no wait when negative.
	// Callers that queue while a batch is being written go into the next
	// one, which does not wait when its first caller already waited that
	// long.
	MaxWait time.Duration
	// Timeout bounds how long one batch may take in the store, retries
	// included; DefaultTimeout when zero. A batch that runs out of time
	// fails with EUNAVAILABLE for all its callers (and, should the commit
	// have landed unseen, a retry finds its events as duplicates).
	Timeout time.Duration
	// Observe, when set, is called once per batch, from the writer's
	// goroutine, after the store answered and before any caller returns.
	Observe func(WriterBatch)
}

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

// Writer groups concurrent writes of events into shared transactions (group
// commit, DESIGN.md section 8): Write calls for the same space and source
// queue up, and one goroutine per queue sends whatever has queued, up to
// MaxBatch events, to the store as one Resolve call. Each caller's events
// stay in order and together, callers in the order they queued.
//
// Because a batch is one transaction, it commits or fails as a whole: every
// caller of a failed batch gets its error and none of their events is
// written. A Writer is safe for concurrent use.
type Writer struct {
	store idgraph.ResolutionService
	opts  WriterOptions

	mu     sync.Mutex
	queues map[string]*writeQueue // by space id
	closed bool
	wg     sync.WaitGroup
}

// writeQueue holds the calls waiting to be written to one space. One
// goroutine per space writes its batches one after another, so the
// transactions of one process never contend with each other for a space's
// identifiers (no lock waits, no deadlocks to retry); several replicas still
// may, and the driver retries those.
type writeQueue struct {
	space idgraph.Space
	wake  chan struct{} // buffered: one token means "look again"

	mu      sync.Mutex
	pending []*writeCall
	closed  bool
}

// writeCall is one Write waiting for its batch.
type writeCall struct {
	source  idgraph.Source
	events  []idgraph.Event
	queued  time.Time
	started bool // set, under the queue's lock, when its batch is taken
	done    chan struct{}
	res     idgraph.BatchResult
	err     error
}

// NewWriter returns a Writer that writes through store. Close it to stop
// its goroutines.
func NewWriter(store idgraph.ResolutionService, opts WriterOptions) *Writer {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = DefaultMaxBatch
	}
	if opts.MaxWait == 0 {
		opts.MaxWait = DefaultMaxWait
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	return &Writer{store: store, opts: opts, queues: map[string]*writeQueue{}}
}

// Write resolves events from source into space and returns once the batch
// holding them has committed, or failed.
//
// The BatchResult is the whole batch's, shared by every caller grouped into
// it, not this caller's share: Loaded and Duplicates may count other
// callers' events. (An event repeating the message id of an earlier event
// of the batch, from this caller or another, is a duplicate.)
//
// When ctx ends while the call is still queued, Write removes its events
// and returns ctx's error: nothing of them is written. Once its batch has
// been sent, Write waits for the store's answer whatever ctx says, so that
// nil always means committed and an error means not written (short of a
// commit whose acknowledgement was lost: a retry then counts its events as
// duplicates, and loses nothing). It
// returns the store's error for a failed batch (EUNAVAILABLE when the
// database cannot be reached) and EUNAVAILABLE after Close.
//
// Queues are keyed by the space's id; a queue passes the store the Space
// value of its first call, and each batch the Source of its calls.
func (w *Writer) Write(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	if len(events) == 0 {
		return idgraph.BatchResult{}, nil
	}
	if err := ctx.Err(); err != nil {
		return idgraph.BatchResult{}, err
	}
	q := w.queue(space)
	if q == nil {
		return idgraph.BatchResult{}, idgraph.Errorf(idgraph.EUNAVAILABLE, "the writer is closed")
	}
	c := &writeCall{source: source, events: events, queued: time.Now(), done: make(chan struct{})}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return idgraph.BatchResult{}, idgraph.Errorf(idgraph.EUNAVAILABLE, "the writer is closed")
	}
	q.pending = append(q.pending, c)
	q.mu.Unlock()
	q.signal()

	select {
	case <-c.done:
		return c.res, c.err
	case <-ctx.Done():
	}
	q.mu.Lock()
	if !c.started {
		q.pending = slices.DeleteFunc(q.pending, func(p *writeCall) bool { return p == c })
		q.mu.Unlock()
		return idgraph.BatchResult{}, ctx.Err()
	}
	q.mu.Unlock()
	<-c.done
	return c.res, c.err
}

// Close stops accepting writes, writes what is queued, and returns once
// every queue's goroutine has finished. Later calls do nothing.
func (w *Writer) Close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		for _, q := range w.queues {
			q.mu.Lock()
			q.closed = true
			q.mu.Unlock()
			q.signal()
		}
	}
	w.mu.Unlock()
	w.wg.Wait()
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

func (q *writeQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// run writes q's batches until q is closed and empty.
func (w *Writer) run(q *writeQueue) {
	defer w.wg.Done()
	for {
		batch, ok := w.next(q)
		if !ok {
			return
		}
		if len(batch) > 0 {
			w.commit(q, batch)
		}
	}
}

// next waits for a queued call, gives others up to MaxWait to join it, and
// takes the batch: the first queued call and the calls after it from the
// same source, whole, in order, up to MaxBatch events (a batch is one
// Resolve call, of one source). Calls of other sources keep their place for
// the next batch. It returns false when q is closed and empty, and an empty
// batch when every waiting call gave up meanwhile.
func (w *Writer) next(q *writeQueue) ([]*writeCall, bool) {
	for {
		q.mu.Lock()
		n, closed := len(q.pending), q.closed
		q.mu.Unlock()
		if n > 0 {
			break
		}
		if closed {
			return nil, false
		}
		<-q.wake
	}
	if w.opts.MaxWait > 0 {
		w.gather(q)
	}

	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) == 0 {
		return nil, true
	}
	source := q.pending[0].source.ID
	var batch, rest []*writeCall
	size, full := 0, false
	for _, c := range q.pending {
		if c.source.ID != source || full || (len(batch) > 0 && size+len(c.events) > w.opts.MaxBatch) {
			full = full || c.source.ID == source
			rest = append(rest, c)
			continue
		}
		c.started = true
		size += len(c.events)
		batch = append(batch, c)
	}
	q.pending = rest
	return batch, true
}

// gather gives more calls time to join the batch: it returns once
// MaxBatch events have queued, q is closed, or the oldest queued call has
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
		size, closed := 0, q.closed
		for _, c := range q.pending {
			size += len(c.events)
		}
		var wait time.Duration
		if len(q.pending) > 0 {
			wait = time.Until(q.pending[0].queued.Add(w.opts.MaxWait))
		}
		q.mu.Unlock()
		if closed || size >= w.opts.MaxBatch || wait <= 0 {
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

// commit sends batch to the store as one Resolve call and hands every
// caller the outcome.
func (w *Writer) commit(q *writeQueue, batch []*writeCall) {
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
	for _, c := range batch {
		c.res, c.err = res, err
		close(c.done)
	}
}

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
