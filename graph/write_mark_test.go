package graph_test

import (
	"sync"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestEveryWriteMarksTheSpace checks what a profile cache relies on: each
// kind of write tells OnCommit's callers of its space, and changes the
// space's write mark, which a second Store on the same database (another
// replica) reads.
func TestEveryWriteMarksTheSpace(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	other := graph.NewStore(graphtest.Open(t))
	var mu sync.Mutex
	var told []string
	e.store.OnCommit(func(space string) {
		mu.Lock()
		defer mu.Unlock()
		told = append(told, space)
	})
	mark := func() string {
		t.Helper()
		m, err := other.WriteMark(e.ctx, e.space.ID)
		if err != nil {
			t.Fatalf("WriteMark: %v", err)
		}
		return m
	}
	if got := mark(); got != "" {
		t.Fatalf("the mark of a space never written = %q, want none", got)
	}
	last := ""
	for _, w := range []struct {
		name  string
		write func() error
	}{
		{"resolve", func() error {
			e.resolve(segkicks,
				`{"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
				`{"type":"identify","messageId":"m2","userId":"u2","anonymousId":"a2","timestamp":"2020-01-01T00:00:00Z"}`)
			return nil
		}},
		{"link and unlink", func() error {
			res, err := e.store.Link(e.ctx, e.space, e.decision("anonymous_id:a1", "anonymous_id:a2", idgraph.DecisionNever, "two shoppers"), false)
			if err != nil {
				return err
			}
			_, err = e.store.Unlink(e.ctx, e.space, res.Decision.ID, "ops")
			return err
		}},
		{"rebuild", func() error {
			_, err := e.store.Rebuild(e.ctx, e.space, nil)
			return err
		}},
		{"delete", func() error {
			_, err := e.store.Delete(e.ctx, e.space.ID, mustID("user_id:u2"), "ops")
			return err
		}},
	} {
		mu.Lock()
		told = nil
		mu.Unlock()
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		mu.Lock()
		if len(told) == 0 || told[len(told)-1] != e.space.ID {
			t.Errorf("%s told OnCommit %v, want the space %s last", w.name, told, e.space.ID)
		}
		mu.Unlock()
		if got := mark(); got == "" || got == last {
			t.Errorf("after %s the space's mark is %q, want a new one (was %q)", w.name, got, last)
		} else {
			last = got
		}
	}
}
