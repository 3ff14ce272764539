package graph_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// retryCounter counts the retries of a DB's transactions.
type retryCounter struct{ retries atomic.Int64 }

func (c *retryCounter) ObserveTransaction(string, time.Duration, error) {}
func (c *retryCounter) ObserveRetry(string)                             { c.retries.Add(1) }

// TestReplicasTakeTurns writes one space from two DBs, as two replicas do,
// each with four concurrent writers whose batches share identifiers (kiosk
// devices that shoppers and members pass through, in different orders):
// the space's lock, taken first, makes them take turns, so no transaction
// deadlocks and none is retried, and the graph holds every event once.
func TestReplicasTakeTurns(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	var counters [2]retryCounter
	var stores [2]*graph.Store
	for i := range stores {
		db := graphtest.Open(t)
		db.Observe(&counters[i])
		stores[i] = graph.NewStore(db)
	}
	const writers, batches, kiosks = 8, 6, 4
	done, errs := resolveConcurrently(e, stores[:], writers, batches, kiosks, func(w, b, k int) string {
		kiosk := (k + w) % kiosks // each writer walks the kiosks from another one
		return fmt.Sprintf(`{"type":"identify","messageId":"w%d-b%d-k%d","anonymousId":"anon%d-%d","userId":"user%d","context":{"device":{"id":"kiosk%d","type":"android"}},"timestamp":"2020-01-01T00:00:00Z"}`,
			w, b, k, w, b, (w+b+k)%6, kiosk)
	})
	<-done
	for err := range errs {
		t.Fatal(err)
	}
	for i := range counters {
		if got := counters[i].retries.Load(); got != 0 {
			t.Errorf("replica %d retried %d transactions, want none (no deadlocks)", i, got)
		}
	}
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Errorf("check: %v", rep.Violations)
	}
}

// resolveConcurrently starts writers goroutines at once, writer w resolving
// batches batches of size events through stores[w%len(stores)], event k of
// batch b being the JSON line(w, b, k). done is closed when they have all
// ended; errs then holds what failed, and is closed.
func resolveConcurrently(e *env, stores []*graph.Store, writers, batches, size int, line func(w, b, k int) string) (<-chan struct{}, <-chan error) {
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			store := stores[w%len(stores)]
			for b := range batches {
				var events []idgraph.Event
				for k := range size {
					ev, err := idgraph.ParseEvent([]byte(line(w, b, k)), time.Now())
					if err != nil {
						errs <- err
						return
					}
					events = append(events, ev)
				}
				if _, err := store.Resolve(e.ctx, e.space, segkicks, events); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(errs); close(done) }()
	return done, errs
}

// TestResolveLockedTakesTheBatchInside resolves through ResolveLocked, the
// batch chosen inside the transaction once the space's lock is held: an
// empty batch commits nothing, and a batch is written as Resolve writes it.
func TestResolveLockedTakesTheBatchInside(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	res, err := e.store.ResolveLocked(e.ctx, e.space, func() (idgraph.Source, []idgraph.Event) { return segkicks, nil })
	if err != nil || res != (idgraph.BatchResult{}) {
		t.Fatalf("empty batch: %+v, %v; want nothing", res, err)
	}
	ev, err := idgraph.ParseEvent([]byte(`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	batch := func() (idgraph.Source, []idgraph.Event) { calls++; return segkicks, []idgraph.Event{ev, ev} }
	res, err = e.store.ResolveLocked(e.ctx, e.space, batch)
	if err != nil {
		t.Fatal(err)
	}
	if res.Loaded != 1 || res.Duplicates != 1 || res.Profiles != 1 || calls != 1 {
		t.Errorf("got %+v after %d calls of batch, want 1 loaded, 1 duplicate, 1 profile, 1 call", res, calls)
	}
}
