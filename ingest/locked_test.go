package ingest

import (
	"context"
	"fmt"
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

func (r *lockingResolver) ResolveLocked(ctx context.Context, space idgraph.Space, batch func() (idgraph.Source, []idgraph.Event)) (idgraph.BatchResult, error) {
	r.waiting <- struct{}{}
	<-r.lockFree
	if r.err != nil {
		return idgraph.BatchResult{}, r.err
	}
	source, events := batch()
	if len(events) == 0 {
		return idgraph.BatchResult{}, nil
	}
	return r.Resolve(ctx, space, source, events)
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
