package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestFeedFollowsCommitOrder has two stores on connections of their own
// (two replicas) write batches to one space at once, some batches sharing
// identifiers so that they contend, while a reader tails the feed reading
// after the last change it saw. Numbers follow commit order, so the reader
// misses nothing: a batch that committed later with a smaller number would
// be skipped. Each batch's changes are numbered together, and the feed has
// no gap.
func TestFeedFollowsCommitOrder(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	stores := []*graph.Store{e.store, graph.NewStore(graphtest.Open(t))}
	const writers, batches = 4, 8
	// Writers 0 and 1 (on different stores) share each batch's second
	// identifier, and so its lock.
	done, errs := resolveConcurrently(e, stores, writers, batches, 3, func(w, b, k int) string {
		return fmt.Sprintf(`{"type":"track","event":"x","messageId":"w%d-b%d-%d","anonymousId":"a%d-%d-%d","context":{"device":{"id":"d%d-%d","type":"ios"}},"timestamp":"2020-01-01T00:00:00Z"}`,
			w, b, k, w, b, k, w/2, b)
	})

	var tailed []idgraph.Change
	tail := func() {
		after := int64(0)
		if len(tailed) > 0 {
			after = tailed[len(tailed)-1].Seq
		}
		got, err := stores[1].Changes(e.ctx, e.space.ID, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		tailed = append(tailed, got...)
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			tail()
		}
	}
	for err := range errs {
		t.Fatal(err)
	}
	tail()

	all := e.feed() // 1, 2, 3... with no gap
	if len(tailed) != len(all) {
		t.Fatalf("the tailing reader saw %d changes of %d: it missed some committed behind a larger number", len(tailed), len(all))
	}
	// Each batch's changes sit together.
	first, last := map[string]int64{}, map[string]int64{}
	count := map[string]int64{}
	for _, c := range all {
		batch := c.Evidence.MessageID[:strings.LastIndex(c.Evidence.MessageID, "-")]
		if _, ok := first[batch]; !ok {
			first[batch] = c.Seq
		}
		last[batch] = c.Seq
		count[batch]++
	}
	if len(count) != writers*batches {
		t.Errorf("%d batches in the feed, want %d", len(count), writers*batches)
	}
	for b, n := range count {
		if last[b]-first[b]+1 != n {
			t.Errorf("batch %s: %d changes spread over %d..%d", b, n, first[b], last[b])
		}
	}
}
