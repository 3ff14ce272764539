package webhook_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
	"github.com/idgraph/idgraph/webhook"
)

// graphFeed is a space on the test database and a way to add changes to
// it: each call resolves one event with a new anonymous id (a profile
// created and an identifier added).
type graphFeed struct {
	t     *testing.T
	db    *graph.DB
	store *graph.Store
	space idgraph.Space
	n     int
}

func newGraphFeed(t *testing.T) *graphFeed {
	db := graphtest.Open(t)
	return &graphFeed{t: t, db: db, store: graph.NewStore(db), space: idgraph.Space{ID: graphtest.Space(t), Rules: idgraph.DefaultRules()}}
}

func (g *graphFeed) add(events int) {
	g.t.Helper()
	var batch []idgraph.Event
	for range events {
		g.n++
		line := fmt.Sprintf(`{"type":"track","event":"x","messageId":"m%d","anonymousId":"a%d","timestamp":"2020-01-01T00:00:00Z"}`, g.n, g.n)
		e, err := idgraph.ParseEvent([]byte(line), time.Now())
		if err != nil {
			g.t.Fatal(err)
		}
		batch = append(batch, e)
	}
	if _, err := g.store.Resolve(context.Background(), g.space, idgraph.Source{ID: "app"}, batch); err != nil {
		g.t.Fatal(err)
	}
}

// waitClaimed waits until a dispatcher holds the space's webhook.
func (g *graphFeed) waitClaimed() {
	g.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err := g.db.ReadQuery(context.Background(), "find webhook",
			`MATCH (w:Webhook {space: $space}) WHERE w.holder IS NOT NULL RETURN w.seq AS seq`, map[string]any{"space": g.space.ID})
		if err != nil {
			g.t.Fatal(err)
		}
		if len(res.Records) > 0 {
			return
		}
	}
	g.t.Fatal("no dispatcher claimed the webhook")
}

// waitSaved waits until the webhook's place is the space's change seq.
func (g *graphFeed) waitSaved(seq int64) {
	g.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err := g.db.ReadQuery(context.Background(), "find webhook",
			`MATCH (w:Webhook {space: $space}) RETURN w.seq AS seq`, map[string]any{"space": g.space.ID})
		if err != nil {
			g.t.Fatal(err)
		}
		if len(res.Records) > 0 && res.Records[0].Values[0] == seq {
			return
		}
	}
	g.t.Fatalf("the webhook's place did not reach %d", seq)
}

// feedIDs are the ids of the space's changes, in feed order.
func (g *graphFeed) feedIDs() []string {
	g.t.Helper()
	cs, err := g.store.Changes(context.Background(), g.space.ID, 0, 10000)
	if err != nil {
		g.t.Fatal(err)
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// TestDeliveriesResumeAfterARestart keeps the webhook's place in the
// graph: a dispatcher started after another stopped delivers the changes
// committed in between, and nothing twice.
func TestDeliveriesResumeAfterARestart(t *testing.T) {
	g := newGraphFeed(t)
	g.add(2) // before the webhook was configured: not delivered
	r := newReceiver(t, nil)
	spaces := spaceWith(g.space.ID, r.hook())

	first := webhook.Start(g.store, spaces, fastOptions())
	defer first.Close() // Close may be called again
	g.waitClaimed()     // at the feed's head
	g.add(3)
	r.waitTaken(6)
	g.waitSaved(10)
	first.Close()

	g.add(2) // while no dispatcher runs
	second := webhook.Start(g.store, spaces, fastOptions())
	defer second.Close()
	got := r.waitTaken(10)
	if want := g.feedIDs()[4:]; !slices.Equal(got, want) {
		t.Errorf("took %v, want the feed after its 4 first changes, in order: %v", got, want)
	}
	for i, a := range r.all() {
		if a.status != 200 || !a.verified {
			t.Errorf("delivery %d: status %d, verified %v", i, a.status, a.verified)
		}
	}
	r.deliveredOnce()
}

// TestOneDispatcherDeliversAtATime starts two dispatchers (two replicas)
// on one webhook: the lease lets one deliver, in order, and when it stops
// the other takes over where it left off.
func TestOneDispatcherDeliversAtATime(t *testing.T) {
	g := newGraphFeed(t)
	r := newReceiver(t, nil)
	spaces := spaceWith(g.space.ID, r.hook())
	a := webhook.Start(g.store, spaces, fastOptions())
	defer a.Close()
	b := webhook.Start(graph.NewStore(graphtest.Open(t)), spaces, fastOptions())
	defer b.Close()
	g.waitClaimed()
	for range 5 {
		g.add(4)
	}
	r.waitTaken(40)
	g.waitSaved(40) // else a's last delivery may be sent again: at least once
	a.Close()
	g.add(4)
	got := r.waitTaken(48)
	if want := g.feedIDs(); !slices.Equal(got, want) {
		t.Errorf("took %v, want the whole feed in order: %v", got, want)
	}
	r.deliveredOnce()
}
