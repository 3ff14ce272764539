package graph_test

import (
	"fmt"
	"slices"
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
func (c *retryCounter) ObserveStatement(string, string, time.Duration)  {}
func (c *retryCounter) ObserveCommit(string, time.Duration)             {}

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
	res, loaded, err := e.store.ResolveLocked(e.ctx, e.space, func() []idgraph.SourceEvents { return nil })
	if err != nil || res != (idgraph.BatchResult{}) || len(loaded) != 0 {
		t.Fatalf("empty batch: %+v, %v, %v; want nothing", res, loaded, err)
	}
	ev, err := idgraph.ParseEvent([]byte(`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	batch := func() []idgraph.SourceEvents {
		calls++
		return []idgraph.SourceEvents{{Source: segkicks, Events: []idgraph.Event{ev, ev}}}
	}
	res, loaded, err = e.store.ResolveLocked(e.ctx, e.space, batch)
	if err != nil {
		t.Fatal(err)
	}
	if res.Loaded != 1 || res.Duplicates != 1 || res.Profiles != 1 || calls != 1 || loaded[segkicks.ID] != 1 {
		t.Errorf("got %+v, loaded %v after %d calls of batch, want 1 loaded (of segkicks), 1 duplicate, 1 profile, 1 call", res, loaded, calls)
	}
}

// TestResolveLockedWritesSeveralSources resolves one batch of two sources'
// events, one message id in both: an event's key is its source and message
// id, so both load, each stored under its own source with the evidence of
// its own source; sent again, all are duplicates.
func TestResolveLockedWritesSeveralSources(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	parse := func(text string) idgraph.Event {
		ev, err := idgraph.ParseEvent([]byte(text), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	batch := func() []idgraph.SourceEvents {
		return []idgraph.SourceEvents{
			{Source: segkicks, Events: []idgraph.Event{parse(`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`)}},
			{Source: segruns, Events: []idgraph.Event{
				parse(`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a2","timestamp":"2020-01-01T00:01:00Z"}`),
				parse(`{"type":"track","event":"Run","messageId":"m2","anonymousId":"a2","timestamp":"2020-01-01T00:02:00Z"}`),
			}},
		}
	}
	res, loaded, err := e.store.ResolveLocked(e.ctx, e.space, batch)
	if err != nil {
		t.Fatal(err)
	}
	if res.Loaded != 3 || res.Duplicates != 0 || loaded[segkicks.ID] != 1 || loaded[segruns.ID] != 2 {
		t.Errorf("got %+v, loaded %v; want 3 loaded: segkicks 1, segruns 2", res, loaded)
	}
	if got, want := e.profileOf("anonymous_id:a2"), []string{"anonymous_id:a1", "anonymous_id:a2", "user_id:u1"}; !slices.Equal(got, want) {
		t.Errorf("profile of a2 = %v, want %v", got, want)
	}
	rows, err := e.db.Query(e.ctx, "events", `
		MATCH (ev:Event {space: $space})-[:CARRIED]->(i:Identifier {type: 'anonymous_id'})
		RETURN ev.source_id + '/' + ev.message_id + ':' + i.value AS row ORDER BY row`, map[string]any{"space": e.space.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range rows.Records {
		v, _ := rec.Get("row")
		got = append(got, v.(string))
	}
	if want := []string{"segkicks/m1:a1", "segruns/m1:a2", "segruns/m2:a2"}; !slices.Equal(got, want) {
		t.Errorf("stored events %v, want %v", got, want)
	}
	res, loaded, err = e.store.ResolveLocked(e.ctx, e.space, batch)
	if err != nil || res.Loaded != 0 || res.Duplicates != 3 || len(loaded) != 0 {
		t.Errorf("sent again: %+v, loaded %v, %v; want 3 duplicates", res, loaded, err)
	}
	e.mustCheck()
}
