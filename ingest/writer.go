package ingest

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/idgraph/idgraph"
)

// Writer defaults.
const (
	// DefaultMaxBatch bounds the events one batch gathers. Much of a
	// transaction's cost is per event (the events, their identifiers and
	// links, the commit), but not all: at 16 concurrent callers of 100
	// events, batches of up to 1,000 wrote a fifth faster than batches of
	// up to 500 (BenchmarkWriterConcurrent).
	DefaultMaxBatch = 1000
	DefaultMaxWait  = 2 * time.Millisecond
	// DefaultTimeout bounds one batch, retries included. A batch takes a
	// few tenths of a second when all is well, and a cold server planning its
	// queries under load has been seen to take 8 s; past 30 s the database
	// is not coming back soon, and the callers hear 503 (a client that gave
	// up earlier retries, and its events then count as duplicates).
	DefaultTimeout = 30 * time.Second
	// DefaultMaxIdentifiers bounds the identifiers one batch carries, so
	// that no request holds its space's queue for long: a transaction of
	// 4,000 (about 1,000 events of three to four identifiers, which the
	// writer's benchmark commits in about a third of a second) holds it
	// well under a second, where a 428 KB request of 7,500 identifiers
	// held every other source's for 3.4 s when batches had no bound.
	DefaultMaxIdentifiers = 4000
)

// WriterOptions tune a Writer. The zero value gives the defaults.
type WriterOptions struct {
	// MaxBatch is how many events one batch gathers from several callers;
	// DefaultMaxBatch when zero. MaxIdentifiers is how many identifiers
	// (as the space's rules extract them) it may carry;
	// DefaultMaxIdentifiers when zero. A caller with more than either is
	// written in parts, each a batch of its own, one after another, and
	// every part queues anew behind the calls that came meanwhile: no
	// request holds a space's queue for long.
	MaxBatch       int
	MaxIdentifiers int
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
	// Logger receives a line for each call whose events failed on their
	// own, with their message ids; nothing is logged when it is nil.
	Logger *slog.Logger
}

// Writer groups concurrent writes of events into shared transactions (group
// commit, DESIGN.md section 8): Write calls for the same space queue up, and
// one goroutine per space sends whatever has queued, up to MaxBatch events
// and MaxIdentifiers identifiers, to the store as one transaction: through
// ResolveLocked when the store offers it (idgraph.LockedResolutionService),
// the calls of every source together; else as one Resolve call of one
// source (the calls of other sources keep their place for the next batch).
// Each caller's events stay in order and together, callers of one source
// in the order they queued.
//
// Because a batch is one transaction, it commits or fails as a whole. When
// it fails for a reason that may lie in one caller's events (anything but
// EUNAVAILABLE and EUNAUTHORIZED), its callers are retried apart, by
// halves, so that only the caller at fault gets the error; every caller
// that gets an error has none of its events written. A Writer is safe for
// concurrent use.
type Writer struct {
	store idgraph.ResolutionService
	opts  WriterOptions
	// receipts remembers when failed events were first received, for
	// the clock-skew correction of their resends.
	receipts receipts

	mu     sync.Mutex
	queues map[string]*writeQueue // by space id
	closed bool
	wg     sync.WaitGroup
}

// NewWriter returns a Writer that writes through store. Close it to stop
// its goroutines.
func NewWriter(store idgraph.ResolutionService, opts WriterOptions) *Writer {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = DefaultMaxBatch
	}
	if opts.MaxIdentifiers <= 0 {
		opts.MaxIdentifiers = DefaultMaxIdentifiers
	}
	if opts.MaxWait == 0 {
		opts.MaxWait = DefaultMaxWait
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Writer{store: store, opts: opts, queues: map[string]*writeQueue{}}
}

// Write resolves events from source into space and returns once the batch
// holding them has committed, or failed; events over MaxBatch or
// MaxIdentifiers are written in parts, each in a batch of its own, and
// Write returns once the last has committed, or at the first that fails.
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
// commit whose acknowledgement was lost, or of the parts before a failed
// one: a retry then counts those events as duplicates, and loses nothing).
// It returns the store's error for a failed batch (EUNAVAILABLE when the
// database cannot be reached) and EUNAVAILABLE after Close.
//
// Queues are keyed by the space's id; a queue passes the store the Space
// value of its first call, and each batch the Source of its calls.
//
// A client that retries a failed Write unchanged keeps its first sentAt:
// the Writer remembers when a failed call's events were first received,
// and corrects the resent events for clock skew as of then (see
// idgraph.Event.Resent), so that they are not stored as late as the
// client took to retry.
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
	events = w.receipts.resent(space.ID, source.ID, events)
	var total idgraph.BatchResult
	parts := w.parts(space.Rules, events)
	for i, p := range parts {
		c := &writeCall{source: source, events: p.events, ids: p.ids, queued: time.Now(), done: make(chan struct{})}
		err := w.enqueue(ctx, q, c)
		if err == nil {
			err = c.err
		}
		if err != nil {
			for _, rest := range parts[i:] { // the parts before are committed: a resend of them is a replay
				w.receipts.failed(space.ID, source.ID, rest.events)
			}
			return idgraph.BatchResult{}, err
		}
		total = total.Add(c.res)
	}
	return total, nil
}

// Exclusive runs fn alone in space's queue: after the batches queued before
// it have committed and before those queued after it, so that in this
// process fn's transaction never contends with a batch's for the space's
// locks. Corrections use it (Corrector). fn gets a context bounded by the
// writer's Timeout; Exclusive returns fn's error, EUNAVAILABLE after Close,
// or ctx's error when ctx ends before fn starts (fn then never runs).
func (w *Writer) Exclusive(ctx context.Context, space idgraph.Space, fn func(context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q := w.queue(space)
	if q == nil {
		return idgraph.Errorf(idgraph.EUNAVAILABLE, "the writer is closed")
	}
	c := &writeCall{exclusive: fn, queued: time.Now(), done: make(chan struct{})}
	if err := w.enqueue(ctx, q, c); err != nil {
		return err
	}
	return c.err
}

// enqueue queues c and waits until it is done. When ctx ends while c is
// still queued, c is removed and ctx's error returned; once started, c is
// waited for whatever ctx says, so that nil always means done.
func (w *Writer) enqueue(ctx context.Context, q *writeQueue, c *writeCall) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return idgraph.Errorf(idgraph.EUNAVAILABLE, "the writer is closed")
	}
	q.pending = append(q.pending, c)
	q.mu.Unlock()
	q.signal()

	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
	}
	q.mu.Lock()
	if !c.started {
		q.pending = slices.DeleteFunc(q.pending, func(p *writeCall) bool { return p == c })
		q.mu.Unlock()
		return ctx.Err()
	}
	q.mu.Unlock()
	<-c.done
	return nil
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
