package ingest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/memstore"
)

// poisonedStore resolves in memory but fails, as Neo4j fails a value too
// large to index, every batch holding an event whose message id starts
// with "poison".
type poisonedStore struct {
	mu      sync.Mutex
	mem     *memstore.Store
	calls   int
	code    string   // the code of the failure; EINVALID when empty
	written []string // message ids of the committed events
}

func (s *poisonedStore) Resolve(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	s.mu.Lock()
	s.calls++
	code := s.code
	s.mu.Unlock()
	if code == "" {
		code = idgraph.EINVALID
	}
	for _, e := range events {
		if strings.HasPrefix(e.MessageID, "poison") {
			return idgraph.BatchResult{}, idgraph.Errorf(code, "resolve events: a value is too large for a Neo4j index")
		}
	}
	res, err := s.mem.Resolve(ctx, space, source, events)
	if err == nil {
		s.mu.Lock()
		s.written = append(s.written, messageIDs(events)...)
		s.mu.Unlock()
	}
	return res, err
}

// heldWriter returns a writer over store whose first call (returned) holds
// the queue until release is called, so that the calls made meanwhile
// share one batch.
func heldWriter(t *testing.T, store idgraph.ResolutionService, logs *bytes.Buffer) (w *Writer, first <-chan writeOutcome, release func()) {
	t.Helper()
	held, started := make(chan struct{}), make(chan struct{})
	gate := resolverFunc(func(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
		if events[0].MessageID == "gate-0" {
			close(started)
			<-held
		}
		return store.Resolve(ctx, space, source, events)
	})
	w = NewWriter(gate, WriterOptions{MaxWait: -1, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	t.Cleanup(w.Close)
	var once sync.Once
	release = func() { once.Do(func() { close(held) }) }
	t.Cleanup(release) // before Close, should the test stop early
	first = goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("gate", 1))
	<-started
	return w, first, release
}

func TestWriterIsolatesAPoisonedCaller(t *testing.T) {
	for _, code := range []string{idgraph.EINVALID, idgraph.EINTERNAL} {
		t.Run(code, func(t *testing.T) {
			store := &poisonedStore{mem: memstore.New(), code: code}
			var logs bytes.Buffer
			w, first, release := heldWriter(t, store, &logs)
			waitCalls := func(n int) { waitPending(t, w, writerSpace.ID, writerSource.ID, n) }

			// Nine callers queue behind the held one: the fifth is poisoned.
			outs := map[string]<-chan writeOutcome{}
			var order []string
			for i := range 9 {
				name := fmt.Sprintf("c%d", i)
				if i == 4 {
					name = "poison"
				}
				order = append(order, name)
				outs[name] = goWrite(context.Background(), w, writerSpace, writerSource, writerEvents(name, 2))
				waitCalls(i + 1)
			}
			release()
			if o := <-first; o.err != nil {
				t.Fatalf("first caller: %v", o.err)
			}
			for _, name := range order {
				o := <-outs[name]
				switch {
				case name == "poison" && idgraph.ErrorCode(o.err) != code:
					t.Errorf("poisoned caller: err = %v, want %s", o.err, code)
				case name != "poison" && o.err != nil:
					t.Errorf("caller %s: err = %v, want its events committed apart from the poisoned ones", name, o.err)
				}
			}
			written := store.written
			for _, name := range order {
				has := slices.Contains(written, name+"-0") && slices.Contains(written, name+"-1")
				if has == (name == "poison") {
					t.Errorf("%s's events written: %v, want %v (written %v)", name, has, name != "poison", written)
				}
			}
			// One shared call, then halves: far fewer calls than one per
			// caller and a retry each.
			if store.calls > 1+2*9 {
				t.Errorf("%d Resolve calls, want at most %d", store.calls, 1+2*9)
			}
			if !strings.Contains(logs.String(), `"message_ids":["poison-0","poison-1"]`) {
				t.Errorf("log %s does not name the failed message ids", logs.String())
			}
			if strings.Count(logs.String(), "events not written") != 1 {
				t.Errorf("log %s: want one line, for the poisoned caller alone", logs.String())
			}
		})
	}
}

func TestWriterDoesNotIsolateAnUnreachableDatabase(t *testing.T) {
	store := &poisonedStore{mem: memstore.New(), code: idgraph.EUNAVAILABLE}
	var logs bytes.Buffer
	w, first, release := heldWriter(t, store, &logs)
	a := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("a", 1))
	waitPending(t, w, writerSpace.ID, writerSource.ID, 1)
	p := goWrite(context.Background(), w, writerSpace, writerSource, writerEvents("poison", 1))
	waitPending(t, w, writerSpace.ID, writerSource.ID, 2)
	release()
	<-first
	for _, out := range []<-chan writeOutcome{a, p} {
		if o := <-out; idgraph.ErrorCode(o.err) != idgraph.EUNAVAILABLE {
			t.Errorf("err = %v, want EUNAVAILABLE for every caller", o.err)
		}
	}
	if store.calls != 2 {
		t.Errorf("%d Resolve calls, want 2: an unreachable database is not retried apart", store.calls)
	}
}
