package ingest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/idgraph/idgraph"
)

// TestExclusiveRunsBetweenBatches: a batch is being written, an exclusive
// call and a write queue behind it; the exclusive call runs after the
// first batch and before the later write, alone.
func TestExclusiveRunsBetweenBatches(t *testing.T) {
	r := newRecordingResolver()
	r.set(func(r *recordingResolver) { r.hold = true })
	w := NewWriter(r, WriterOptions{MaxWait: -1})
	defer w.Close()

	var mu sync.Mutex
	var order []string
	note := func(s string) {
		mu.Lock()
		order = append(order, s)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		if _, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("a", 1)); err != nil {
			t.Error(err)
		}
	}()
	<-r.started // the first batch is in the store
	go func() {
		defer wg.Done()
		err := w.Exclusive(context.Background(), writerSpace, func(ctx context.Context) error {
			if _, ok := ctx.Deadline(); !ok {
				t.Error("the exclusive call's context has no deadline")
			}
			note("exclusive")
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}()
	waitPending(t, w, writerSpace.ID, "", 1) // the exclusive call
	go func() {
		defer wg.Done()
		if _, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("b", 1)); err != nil {
			t.Error(err)
		}
		note("b")
	}()
	waitPending(t, w, writerSpace.ID, writerSource.ID, 1)
	r.release <- struct{}{} // a commits
	ev := <-r.started       // the next batch reaches the store
	note("b started " + ev[0].MessageID)
	r.release <- struct{}{}
	wg.Wait()
	if got := order; len(got) != 3 || got[0] != "exclusive" || got[1] != "b started b-0" {
		t.Errorf("order = %v, want the exclusive call before b's batch", got)
	}
}

func TestExclusiveErrors(t *testing.T) {
	w := NewWriter(newRecordingResolver(), WriterOptions{})
	want := errors.New("refused")
	if err := w.Exclusive(context.Background(), writerSpace, func(context.Context) error { return want }); !errors.Is(err, want) {
		t.Errorf("Exclusive = %v, want the function's error", err)
	}
	err := w.Exclusive(context.Background(), writerSpace, func(context.Context) error { panic("boom") })
	if idgraph.ErrorCode(err) != idgraph.EINTERNAL {
		t.Errorf("a panic = %v, want EINTERNAL", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := w.Exclusive(ctx, writerSpace, func(context.Context) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("a cancelled call = %v (ran %v), want context.Canceled and no run", err, ran)
	}
	w.Close()
	if err := w.Exclusive(context.Background(), writerSpace, func(context.Context) error { return nil }); idgraph.ErrorCode(err) != idgraph.EUNAVAILABLE {
		t.Errorf("after Close = %v, want EUNAVAILABLE", err)
	}
}
