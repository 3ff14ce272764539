package graph_test

import (
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// TestWebhookLease checks the place and lease a webhook's deliveries keep
// in the graph: a new webhook starts at the feed's head, one holder at a
// time may deliver and save, a released or expired lease passes on, and
// the place survives them all.
func TestWebhookLease(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"track","event":"x","messageId":"m1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`)
	head := int64(len(e.feed()))
	space, key := e.space.ID, "k1"

	claim := func(holder string, lease time.Duration) (int64, bool) {
		t.Helper()
		seq, held, err := e.store.ClaimWebhook(e.ctx, space, key, holder, lease)
		if err != nil {
			t.Fatal(err)
		}
		return seq, held
	}
	if seq, held := claim("a", time.Minute); !held || seq != head {
		t.Fatalf("first claim: seq %d, held %v; want the feed's head %d, held", seq, held, head)
	}
	if _, held := claim("b", time.Minute); held {
		t.Fatal("b won a lease a holds")
	}
	if held, err := e.store.SaveWebhook(e.ctx, space, key, "b", 99, time.Minute); err != nil || held {
		t.Fatalf("b saved while a holds the lease: held %v, %v", held, err)
	}
	if held, err := e.store.SaveWebhook(e.ctx, space, key, "a", head+5, time.Minute); err != nil || !held {
		t.Fatalf("a's save: held %v, %v", held, err)
	}
	if seq, held := claim("a", time.Minute); !held || seq != head+5 {
		t.Errorf("a renews: seq %d, held %v; want %d, held", seq, held, head+5)
	}
	if err := e.store.ReleaseWebhook(e.ctx, space, key, "b"); err != nil {
		t.Fatal(err)
	}
	if _, held := claim("b", time.Minute); held {
		t.Fatal("b's release freed a's lease")
	}
	if err := e.store.ReleaseWebhook(e.ctx, space, key, "a"); err != nil {
		t.Fatal(err)
	}
	if seq, held := claim("b", 300*time.Millisecond); !held || seq != head+5 {
		t.Fatalf("after a's release b claims: seq %d, held %v; want %d, held", seq, held, head+5)
	}
	time.Sleep(500 * time.Millisecond)
	if seq, held := claim("a", time.Minute); !held || seq != head+5 {
		t.Errorf("after b's lease ran out a claims: seq %d, held %v; want %d, held", seq, held, head+5)
	}
	if held, err := e.store.SaveWebhook(e.ctx, space, key, "b", 99, time.Minute); err != nil || held {
		t.Errorf("b saved after its lease passed to a: held %v, %v", held, err)
	}
}
