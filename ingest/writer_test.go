package ingest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/memstore"
)

// recordingResolver is an idgraph.ResolutionService that records every
// batch, resolves it in memory (a message id seen before from the source,
// this batch included, is a duplicate), and can be made to hold a batch,
// fail or panic.
type recordingResolver struct {
	mu      sync.Mutex
	batches [][]idgraph.Event
	mem     *memstore.Store
	err     error // returned by every call while set
	panics  bool

	// When hold is set, each call reports on started and waits for release.
	hold    bool
	started chan []idgraph.Event
	release chan struct{}
}

func newRecordingResolver() *recordingResolver {
	return &recordingResolver{
		mem:     memstore.New(),
		started: make(chan []idgraph.Event, 100),
		release: make(chan struct{}),
	}
}

func (r *recordingResolver) Resolve(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	r.mu.Lock()
	hold := r.hold
	r.batches = append(r.batches, events)
	r.mu.Unlock()
	if hold {
		r.started <- events
		<-r.release
	}
	r.mu.Lock()
	err, panics := r.err, r.panics
	r.mu.Unlock()
	if panics {
		panic("boom")
	}
	if err != nil {
		return idgraph.BatchResult{}, err
	}
	return r.mem.Resolve(ctx, space, source, events)
}

func (r *recordingResolver) set(f func(r *recordingResolver)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r)
}

func (r *recordingResolver) recorded() [][]idgraph.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([][]idgraph.Event, len(r.batches))
	copy(out, r.batches)
	return out
}

var (
	writerSpace  = idgraph.Space{ID: "s1"}
	writerSource = idgraph.Source{ID: "src1"}
)

// writerEvents returns n events with message ids prefix-0, prefix-1, ...
func writerEvents(prefix string, n int) []idgraph.Event {
	out := make([]idgraph.Event, n)
	for i := range out {
		out[i] = idgraph.Event{Type: idgraph.EventTrack, Event: "x", MessageID: fmt.Sprintf("%s-%d", prefix, i)}
	}
	return out
}

// pendingCalls returns how many calls of source wait in space's queue.
func pendingCalls(w *Writer, space, source string) int {
	w.mu.Lock()
	q := w.queues[space]
	w.mu.Unlock()
	if q == nil {
		return 0
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, c := range q.pending {
		if c.source.ID == source {
			n++
		}
	}
	return n
}

// waitPending waits until n calls are queued for (space, source).
func waitPending(t *testing.T, w *Writer, space, source string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for pendingCalls(w, space, source) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", pendingCalls(w, space, source), n)
		}
		time.Sleep(time.Millisecond)
	}
}

type writeOutcome struct {
	res idgraph.BatchResult
	err error
}

// goWrite calls w.Write in a goroutine and returns where its outcome will be.
func goWrite(ctx context.Context, w *Writer, space idgraph.Space, source idgraph.Source, events []idgraph.Event) <-chan writeOutcome {
	ch := make(chan writeOutcome, 1)
	go func() {
		res, err := w.Write(ctx, space, source, events)
		ch <- writeOutcome{res, err}
	}()
	return ch
}

// messageIDs returns the message ids of events, in order.
func messageIDs(events []idgraph.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.MessageID
	}
	return out
}

// caller returns the caller part of a message id made by writerEvents.
func caller(messageID string) string {
	return messageID[:strings.LastIndex(messageID, "-")]
}

// checkContiguous fails t unless every caller's events (message ids
// "caller-0", "caller-1", ...; sizes gives how many) sit together and in
// order in the batch.
func checkContiguous(t *testing.T, batch []idgraph.Event, sizes map[string]int) {
	t.Helper()
	for i := 0; i < len(batch); {
		c := caller(batch[i].MessageID)
		n := sizes[c]
		if n == 0 {
			t.Fatalf("batch holds %s, from no known caller", batch[i].MessageID)
		}
		for j := range n {
			if i+j >= len(batch) || batch[i+j].MessageID != fmt.Sprintf("%s-%d", c, j) {
				t.Fatalf("batch %v: caller %s's events are split or out of order at its event %d", messageIDs(batch), c, j)
			}
		}
		i += n
	}
}

func TestWriterGroupsCallersQueuedDuringACommit(t *testing.T) {
	store := newRecordingResolver()
	store.hold = true
	w := NewWriter(store, WriterOptions{MaxWait: -1})
	defer w.Close()

	first := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("a", 1))
	<-store.started // the first batch is in the store; the next callers queue
	const callers = 10
	var outs []<-chan writeOutcome
	want := map[string]int{}
	for i := range callers {
		prefix := fmt.Sprintf("c%d", i)
		want[prefix] = 3
		outs = append(outs, goWrite(context.Background(), w, writerSpace, writerSource, writerEvents(prefix, 3)))
	}
	waitPending(t, w, writerSpace.ID, writerSource.ID, callers)
	close(store.release)

	if o := <-first; o.err != nil || o.res.Loaded != 1 {
		t.Errorf("first Write = %+v, %v; want 1 loaded", o.res, o.err)
	}
	for i, out := range outs {
		o := <-out
		if o.err != nil {
			t.Fatalf("caller %d: %v", i, o.err)
		}
		if o.res.Loaded != 3*callers {
			t.Errorf("caller %d: Loaded = %d, want the whole batch's %d", i, o.res.Loaded, 3*callers)
		}
	}
	batches := store.recorded()
	if len(batches) != 2 {
		t.Fatalf("%d Resolve calls, want 2: the first caller's, then one for the %d callers that queued meanwhile", len(batches), callers)
	}
	if got := len(batches[1]); got != 3*callers {
		t.Errorf("second batch has %d events, want %d", got, 3*callers)
	}
	checkContiguous(t, batches[1], want)
}

func TestWriterKeepsEveryCallersEventsInOrderUnderConcurrency(t *testing.T) {
	store := newRecordingResolver()
	const maxBatch = 40
	w := NewWriter(store, WriterOptions{MaxBatch: maxBatch, MaxWait: time.Millisecond})
	defer w.Close()

	const goroutines, writesEach = 40, 5
	sizes := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range writesEach {
				prefix := fmt.Sprintf("g%d.%d", g, k)
				n := 1 + rand.IntN(30)
				if g == 0 && k == 0 {
					n = maxBatch // a batch's worth: written alone, whole
				}
				mu.Lock()
				sizes[prefix] = n
				mu.Unlock()
				res, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents(prefix, n))
				if err != nil {
					t.Errorf("write %s: %v", prefix, err)
					return
				}
				if res.Loaded < n {
					t.Errorf("write %s: Loaded = %d, want at least its own %d", prefix, res.Loaded, n)
				}
			}
		}()
	}
	wg.Wait()

	batches := store.recorded()
	where := map[string]int{} // caller prefix -> batch index
	total := 0
	for b, batch := range batches {
		checkContiguous(t, batch, sizes)
		callers := 0
		for _, e := range batch {
			prefix := caller(e.MessageID)
			if e.MessageID == prefix+"-0" {
				callers++
				if _, dup := where[prefix]; dup {
					t.Fatalf("caller %s's events written twice", prefix)
				}
				where[prefix] = b
			}
		}
		if len(batch) > maxBatch && callers > 1 {
			t.Errorf("batch %d has %d events from %d callers: over MaxBatch %d", b, len(batch), callers, maxBatch)
		}
		total += len(batch)
	}
	want := 0
	for _, n := range sizes {
		want += n
	}
	if total != want || len(where) != len(sizes) {
		t.Errorf("store got %d events from %d callers, want %d from %d", total, len(where), want, len(sizes))
	}
	// A goroutine's successive writes land in successive batches.
	for g := range goroutines {
		for k := 1; k < writesEach; k++ {
			a, b := where[fmt.Sprintf("g%d.%d", g, k-1)], where[fmt.Sprintf("g%d.%d", g, k)]
			if b <= a {
				t.Errorf("goroutine %d: write %d in batch %d, not after write %d in batch %d", g, k, b, k-1, a)
			}
		}
	}
	if len(batches) >= goroutines*writesEach {
		t.Errorf("%d batches for %d writes: nothing was grouped", len(batches), goroutines*writesEach)
	}
}

func TestWriterSplitsAtMaxBatchAndWritesABigCallerInParts(t *testing.T) {
	store := newRecordingResolver()
	store.hold = true
	w := NewWriter(store, WriterOptions{MaxBatch: 10, MaxWait: -1})
	defer w.Close()

	blocker := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("x", 1))
	<-store.started
	var outs []<-chan writeOutcome
	// Queue one at a time so the queue order is known: 4, 4, 4, 25, 1 events.
	for i, n := range []int{4, 4, 4, 25, 1} {
		outs = append(outs, goWrite(context.Background(), w, writerSpace, writerSource, writerEvents(fmt.Sprintf("c%d", i), n)))
		waitPending(t, w, writerSpace.ID, writerSource.ID, i+1)
	}
	store.set(func(r *recordingResolver) { r.hold = false })
	close(store.release)
	<-blocker
	for _, out := range outs {
		if o := <-out; o.err != nil {
			t.Fatal(o.err)
		}
	}
	var got []int
	for _, b := range store.recorded() {
		got = append(got, len(b))
	}
	// Whole callers up to MaxBatch 10; the caller of 25 in parts of 10, 10
	// and 5, each queued anew (the caller of 1 queued meanwhile goes first).
	want := []int{1, 8, 4, 10, 1, 10, 5}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("batch sizes %v, want %v", got, want)
	}
}

func TestWriterGivesEveryCallerOfAFailedBatchItsError(t *testing.T) {
	store := newRecordingResolver()
	store.hold = true
	w := NewWriter(store, WriterOptions{MaxWait: -1})
	defer w.Close()

	blocker := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("x", 1))
	<-store.started
	var outs []<-chan writeOutcome
	for i := range 5 {
		outs = append(outs, goWrite(context.Background(), w, writerSpace, writerSource, writerEvents(fmt.Sprintf("c%d", i), 2)))
	}
	waitPending(t, w, writerSpace.ID, writerSource.ID, 5)
	store.set(func(r *recordingResolver) {
		r.hold = false
		r.err = idgraph.Errorf(idgraph.EUNAVAILABLE, "neo4j unreachable")
	})
	close(store.release)

	if o := <-blocker; idgraph.ErrorCode(o.err) != idgraph.EUNAVAILABLE {
		t.Errorf("first caller: err = %v, want EUNAVAILABLE", o.err)
	}
	for i, out := range outs {
		o := <-out
		if idgraph.ErrorCode(o.err) != idgraph.EUNAVAILABLE {
			t.Errorf("caller %d: err = %v, want EUNAVAILABLE", i, o.err)
		}
		if o.res != (idgraph.BatchResult{}) {
			t.Errorf("caller %d: result %+v with an error, want zero", i, o.res)
		}
	}
	if n := len(store.recorded()); n != 2 {
		t.Errorf("%d Resolve calls, want 2 (the five callers share one)", n)
	}

	// The store is back: the same events go through.
	store.set(func(r *recordingResolver) { r.err = nil })
	res, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("c0", 2))
	if err != nil || res.Loaded != 2 {
		t.Errorf("retry after recovery = %+v, %v; want 2 loaded", res, err)
	}
}

func TestWriterTurnsAStorePanicIntoAnError(t *testing.T) {
	store := newRecordingResolver()
	store.panics = true
	w := NewWriter(store, WriterOptions{MaxWait: -1})
	defer w.Close()

	_, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("a", 1))
	if idgraph.ErrorCode(err) != idgraph.EINTERNAL {
		t.Errorf("err = %v, want EINTERNAL", err)
	}
	store.set(func(r *recordingResolver) { r.panics = false })
	if _, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("b", 1)); err != nil {
		t.Errorf("write after a panic: %v; want the queue to keep working", err)
	}
}

func TestWriterRemovesACallerCancelledWhileQueued(t *testing.T) {
	store := newRecordingResolver()
	store.hold = true
	w := NewWriter(store, WriterOptions{MaxWait: -1})
	defer w.Close()

	blocker := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("x", 1))
	<-store.started
	ctx, cancel := context.WithCancel(context.Background())
	gone := goWrite(ctx, w, writerSpace, writerSource, writerEvents("gone", 2))
	waitPending(t, w, writerSpace.ID, writerSource.ID, 1)
	kept := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("kept", 2))
	waitPending(t, w, writerSpace.ID, writerSource.ID, 2)

	cancel()
	if o := <-gone; !errors.Is(o.err, context.Canceled) {
		t.Errorf("cancelled caller: err = %v, want context.Canceled", o.err)
	}
	waitPending(t, w, writerSpace.ID, writerSource.ID, 1)
	store.set(func(r *recordingResolver) { r.hold = false })
	close(store.release)
	<-blocker
	if o := <-kept; o.err != nil || o.res.Loaded != 2 {
		t.Errorf("kept caller = %+v, %v; want 2 loaded", o.res, o.err)
	}
	batches := store.recorded()
	if len(batches) != 2 || fmt.Sprint(messageIDs(batches[1])) != "[kept-0 kept-1]" {
		t.Errorf("batches %v, want the cancelled caller's events left out", batches)
	}

	// A context already done never queues.
	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	if _, err := w.Write(done, writerSpace, writerSource, writerEvents("late", 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("write with a done context: err = %v, want context.Canceled", err)
	}
}

func TestWriterWaitsForABatchAlreadySentWhateverTheContext(t *testing.T) {
	store := newRecordingResolver()
	store.hold = true
	w := NewWriter(store, WriterOptions{MaxWait: -1})
	defer w.Close()

	ctx, cancel := context.WithCancel(context.Background())
	out := goWrite(ctx, w, writerSpace, writerSource, writerEvents("a", 1))
	<-store.started
	cancel()
	select {
	case o := <-out:
		t.Fatalf("Write returned %+v, %v while its batch was in the store; want it to wait", o.res, o.err)
	case <-time.After(20 * time.Millisecond):
	}
	close(store.release)
	if o := <-out; o.err != nil || o.res.Loaded != 1 {
		t.Errorf("Write = %+v, %v; want the committed batch's result", o.res, o.err)
	}
}

func TestWriterWaitsMaxWaitForMoreCallers(t *testing.T) {
	store := newRecordingResolver()
	// A long MaxWait, cut short when MaxBatch events have queued.
	w := NewWriter(store, WriterOptions{MaxBatch: 3, MaxWait: time.Minute})
	defer w.Close()

	start := time.Now()
	a := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("a", 1))
	waitPending(t, w, writerSpace.ID, writerSource.ID, 1)
	b := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("b", 2))
	for _, out := range []<-chan writeOutcome{a, b} {
		if o := <-out; o.err != nil || o.res.Loaded != 3 {
			t.Errorf("Write = %+v, %v; want the shared batch's 3 loaded", o.res, o.err)
		}
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v: the wait did not end when MaxBatch events had queued", took)
	}
	if batches := store.recorded(); len(batches) != 1 {
		t.Errorf("%d batches, want 1: the second caller arrived within MaxWait", len(batches))
	}
}

func TestWriterDoesNotWaitForCallersThatAlreadyWaited(t *testing.T) {
	store := newRecordingResolver()
	store.hold = true
	const maxWait = 300 * time.Millisecond
	w := NewWriter(store, WriterOptions{MaxWait: maxWait})
	defer w.Close()

	a := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("a", 1))
	<-store.started // after a's MaxWait
	b := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("b", 1))
	waitPending(t, w, writerSpace.ID, writerSource.ID, 1)
	time.Sleep(maxWait) // b has waited MaxWait during a's commit
	store.set(func(r *recordingResolver) { r.hold = false })
	released := time.Now()
	close(store.release)
	<-a
	<-b
	if took := time.Since(released); took >= maxWait {
		t.Errorf("b's batch took %v after the commit before it: it waited MaxWait again", took)
	}
}

func TestWriterWritesASpaceOneBatchAtATimeOneSourcePerBatch(t *testing.T) {
	store := newRecordingResolver()
	store.hold = true
	w := NewWriter(store, WriterOptions{MaxWait: -1})
	defer w.Close()

	other := idgraph.Source{ID: "src2"}
	a := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("a", 1))
	<-store.started
	// src1's batch is held in the store. src2's call, then another of
	// src1, queue behind it in the same space: nothing else starts.
	b := goWrite(context.Background(), w, writerSpace, other, writerEvents("b", 1))
	waitPending(t, w, writerSpace.ID, other.ID, 1)
	c := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("c", 1))
	waitPending(t, w, writerSpace.ID, writerSource.ID, 1)
	select {
	case events := <-store.started:
		t.Fatalf("a second batch (%s) started while the space's first was being written", events[0].MessageID)
	case <-time.After(50 * time.Millisecond):
	}
	// Another space has its own queue and is not held up.
	d := goWrite(context.Background(), w, idgraph.Space{ID: "s2"}, writerSource, writerEvents("d", 1))
	select {
	case events := <-store.started:
		if events[0].MessageID != "d-0" {
			t.Errorf("other space's batch starts with %s, want d-0", events[0].MessageID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a held batch of one space blocks another space")
	}
	close(store.release)
	for _, out := range []<-chan writeOutcome{a, b, c, d} {
		if o := <-out; o.err != nil {
			t.Error(o.err)
		}
	}
	// The space's batches: a, then b (src2, first in line), then c; each
	// batch holds one source's events only.
	var got []string
	for _, batch := range store.recorded() {
		var ids []string
		for _, e := range batch {
			ids = append(ids, e.MessageID)
		}
		got = append(got, strings.Join(ids, ","))
	}
	if want := []string{"a-0", "d-0", "b-0", "c-0"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("batches: got %v, want %v", got, want)
	}
}

func TestWriterObservesEveryBatch(t *testing.T) {
	store := newRecordingResolver()
	var mu sync.Mutex
	var got []WriterBatch
	w := NewWriter(store, WriterOptions{MaxWait: -1, Observe: func(b WriterBatch) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, b)
	}})
	defer w.Close()

	if _, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("a", 3)); err != nil {
		t.Fatal(err)
	}
	// The same three again: duplicates.
	if _, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("a", 3)); err != nil {
		t.Fatal(err)
	}
	store.set(func(r *recordingResolver) { r.err = idgraph.Errorf(idgraph.EUNAVAILABLE, "down") })
	_, _ = w.Write(context.Background(), writerSpace, writerSource, writerEvents("b", 1))

	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 {
		t.Fatalf("%d observations, want 3", len(got))
	}
	checks := []struct {
		loaded, dups, events int
		code                 string
	}{{3, 0, 3, ""}, {0, 3, 3, ""}, {0, 0, 1, idgraph.EUNAVAILABLE}}
	for i, want := range checks {
		b := got[i]
		if b.SpaceID != "s1" || len(b.Sources) != 1 || b.Sources[0] != (BatchSource{"src1", want.events, want.loaded}) || b.Callers != 1 || b.Events != want.events ||
			b.Result.Loaded != want.loaded || b.Result.Duplicates != want.dups || idgraph.ErrorCode(b.Err) != want.code {
			t.Errorf("observation %d = %+v, want %d events, %d loaded, %d duplicates, error code %q",
				i, b, want.events, want.loaded, want.dups, want.code)
		}
	}
}

func TestWriterCloseDrainsTheQueue(t *testing.T) {
	store := newRecordingResolver()
	store.hold = true
	w := NewWriter(store, WriterOptions{MaxWait: -1})

	blocker := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("x", 1))
	<-store.started
	queued := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("q", 2))
	waitPending(t, w, writerSpace.ID, writerSource.ID, 1)

	closed := make(chan struct{})
	go func() {
		w.Close()
		close(closed)
	}()
	// Once closed, new writes are refused. (A write that comes before
	// Close queues behind the held batch, and gives up after a moment.)
	deadline := time.Now().Add(5 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		_, err := w.Write(ctx, writerSpace, writerSource, writerEvents("late", 1))
		cancel()
		if idgraph.ErrorCode(err) == idgraph.EUNAVAILABLE {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("write during Close: err = %v, want EUNAVAILABLE", err)
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case <-closed:
		t.Fatal("Close returned before the queued batch was written")
	default:
	}
	store.set(func(r *recordingResolver) { r.hold = false })
	close(store.release)
	<-closed
	<-blocker
	if o := <-queued; o.err != nil || o.res.Loaded != 2 {
		t.Errorf("queued caller = %+v, %v; want its events written by Close", o.res, o.err)
	}
	for _, b := range store.recorded() {
		for _, e := range b {
			if e.MessageID == "late-0" {
				t.Error("a write refused after Close reached the store")
			}
		}
	}
	w.Close() // twice is fine
}

func TestWriterWritesNothingForNoEvents(t *testing.T) {
	store := newRecordingResolver()
	w := NewWriter(store, WriterOptions{})
	defer w.Close()
	res, err := w.Write(context.Background(), writerSpace, writerSource, nil)
	if err != nil || res != (idgraph.BatchResult{}) {
		t.Errorf("Write(nil) = %+v, %v; want zero, nil", res, err)
	}
	if n := len(store.recorded()); n != 0 {
		t.Errorf("%d Resolve calls for no events, want 0", n)
	}
}

// resolverFunc is an idgraph.ResolutionService made of a function.
type resolverFunc func(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error)

func (f resolverFunc) Resolve(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	return f(ctx, space, source, events)
}

func TestWriterBoundsABatchByTimeout(t *testing.T) {
	stuck := resolverFunc(func(ctx context.Context, _ idgraph.Space, _ idgraph.Source, _ []idgraph.Event) (idgraph.BatchResult, error) {
		<-ctx.Done() // a database that never answers
		return idgraph.BatchResult{}, idgraph.WrapError(idgraph.EUNAVAILABLE, ctx.Err(), "neo4j did not answer in time")
	})
	w := NewWriter(stuck, WriterOptions{MaxWait: -1, Timeout: 50 * time.Millisecond})
	defer w.Close()
	start := time.Now()
	_, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("t", 1))
	if idgraph.ErrorCode(err) != idgraph.EUNAVAILABLE {
		t.Errorf("got %v, want EUNAVAILABLE", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the write took %s, want about the 50ms timeout", took)
	}
}
