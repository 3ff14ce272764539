package ingest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/idgraph/idgraph"
)

// lockingResolver is an idgraph.LockedResolutionService: ResolveLocked
// reports on waiting, then waits for the space's lock (lockFree, closed by
// the test, as if another replica held it) before it takes the batch, and
// resolves the batch in memory; err fails it before the batch is taken.
type lockingResolver struct {
	*recordingResolver
	waiting  chan struct{}
	lockFree chan struct{}
	err      error
}

func (r *lockingResolver) ResolveLocked(ctx context.Context, space idgraph.Space, batch func() []idgraph.SourceEvents) (idgraph.BatchResult, map[string]int, error) {
	r.waiting <- struct{}{}
	<-r.lockFree
	if r.err != nil {
		return idgraph.BatchResult{}, nil, r.err
	}
	var sum idgraph.BatchResult
	loaded := map[string]int{}
	for _, g := range batch() {
		res, err := r.Resolve(ctx, space, g.Source, g.Events)
		if err != nil {
			return idgraph.BatchResult{}, nil, err
		}
		sum = sum.Add(res)
		loaded[g.Source.ID] += res.Loaded
	}
	return sum, loaded, nil
}

// TestWriterTakesItsBatchOnceItHoldsTheLock has the store wait for the
// space's lock, as when another replica is writing: the callers that queue
// meanwhile join the batch, which is chosen only once the lock is held.
func TestWriterTakesItsBatchOnceItHoldsTheLock(t *testing.T) {
	store := &lockingResolver{recordingResolver: newRecordingResolver(), waiting: make(chan struct{}, 10), lockFree: make(chan struct{})}
	w := NewWriter(store, WriterOptions{MaxWait: -1})
	defer w.Close()

	outs := []<-chan writeOutcome{goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("first", 1))}
	<-store.waiting // the writer waits for the lock, its batch not yet taken
	const callers = 5
	for i := range callers {
		outs = append(outs, goWrite(context.Background(), w, writerSpace, writerSource, writerEvents(fmt.Sprintf("c%d", i), 2)))
	}
	waitPending(t, w, writerSpace.ID, writerSource.ID, callers+1)
	close(store.lockFree)
	for i, out := range outs {
		if o := <-out; o.err != nil || o.res.Loaded != 1+2*callers {
			t.Errorf("caller %d: %+v, %v; want the whole batch's %d loaded", i, o.res, o.err, 1+2*callers)
		}
	}
	if batches := store.recorded(); len(batches) != 1 {
		t.Errorf("%d batches, want 1: every caller queued while the lock was taken", len(batches))
	}
}

// TestWriterAnswersWhenTheLockCannotBeTaken fails the store before it takes
// a batch: the queued callers get the error rather than wait on, and no
// batch is written.
func TestWriterAnswersWhenTheLockCannotBeTaken(t *testing.T) {
	store := &lockingResolver{recordingResolver: newRecordingResolver(), waiting: make(chan struct{}, 10), lockFree: make(chan struct{}),
		err: idgraph.Errorf(idgraph.EUNAVAILABLE, "neo4j unreachable")}
	close(store.lockFree)
	w := NewWriter(store, WriterOptions{MaxWait: -1})
	defer w.Close()
	if _, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("a", 3)); idgraph.ErrorCode(err) != idgraph.EUNAVAILABLE {
		t.Errorf("Write: got %v, want EUNAVAILABLE", err)
	}
	if batches := store.recorded(); len(batches) != 0 {
		t.Errorf("%d batches written, want none", len(batches))
	}
}

// TestWriterTakesEverySourceOnceItHoldsTheLock queues calls of two sources
// while the store waits for the lock: they go in one batch, each source's
// calls together and in order, and the observed batch counts each
// source's events and loads apart.
func TestWriterTakesEverySourceOnceItHoldsTheLock(t *testing.T) {
	store := &lockingResolver{recordingResolver: newRecordingResolver(), waiting: make(chan struct{}, 10), lockFree: make(chan struct{})}
	var observed []WriterBatch
	var mu sync.Mutex
	w := NewWriter(store, WriterOptions{MaxWait: -1, Observe: func(b WriterBatch) {
		mu.Lock()
		defer mu.Unlock()
		observed = append(observed, b)
	}})
	defer w.Close()

	other := idgraph.Source{ID: "src2"}
	outs := []<-chan writeOutcome{goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("first", 1))}
	<-store.waiting
	outs = append(outs,
		goWrite(context.Background(), w, writerSpace, other, writerEvents("b", 2)))
	waitPending(t, w, writerSpace.ID, other.ID, 1)
	outs = append(outs,
		goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("c", 3)))
	waitPending(t, w, writerSpace.ID, writerSource.ID, 2)
	outs = append(outs,
		goWrite(context.Background(), w, writerSpace, other, writerEvents("first", 1))) // another source's event of the same message id
	waitPending(t, w, writerSpace.ID, other.ID, 2)
	close(store.lockFree)
	for i, out := range outs {
		if o := <-out; o.err != nil || o.res.Loaded != 7 {
			t.Errorf("caller %d: %+v, %v; want the whole batch's 7 loaded", i, o.res, o.err)
		}
	}
	batches := store.recorded()
	if len(batches) != 2 { // one Resolve per source group of the one batch
		t.Fatalf("%d groups, want 2 (one per source)", len(batches))
	}
	var got []string
	for _, b := range batches {
		for _, e := range b {
			got = append(got, e.MessageID)
		}
	}
	if want := "first-0 c-0 c-1 c-2 b-0 b-1 first-0"; strings.Join(got, " ") != want {
		t.Errorf("events %q, want %q: each source's in the order sent", strings.Join(got, " "), want)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(observed) != 1 || observed[0].Callers != 4 || observed[0].Events != 7 ||
		!slices.Equal(observed[0].Sources, []BatchSource{{"src1", 4, 4}, {"src2", 3, 3}}) {
		t.Errorf("observed %+v, want one batch of 4 callers, src1 4 events loaded, src2 3", observed)
	}
}
