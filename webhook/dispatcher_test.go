package webhook_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/webhook"
)

func ids(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprint("chg_", i))
	}
	return out
}

func fastOptions() webhook.Options {
	return webhook.Options{Batch: 100, Lease: 600 * time.Millisecond, Poll: 20 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Timeout: 2 * time.Second}
}

func spaceWith(id string, hooks ...idgraph.Webhook) []idgraph.Space {
	return []idgraph.Space{{ID: id, Webhooks: hooks}}
}

// TestDeliveriesAreSignedInOrderAndBatched: a webhook starts at the feed's
// head and gets every later change once, in order, at most Batch per
// signed delivery; its place is saved after each.
func TestDeliveriesAreSignedInOrderAndBatched(t *testing.T) {
	store := &fakeStore{}
	store.add(3) // before the webhook: not delivered
	r := newReceiver(t, nil)
	d := webhook.Start(store, spaceWith("s", r.hook()), fastOptions())
	defer d.Close()
	store.waitClaimed(t)
	store.add(250)
	if got := r.waitTaken(250); !slices.Equal(got, ids(4, 253)) {
		t.Fatalf("took %v..., want chg_4 to chg_253 in order", got[:5])
	}
	for i, a := range r.all() {
		if !a.verified || len(a.ids) == 0 || len(a.ids) > 100 {
			t.Errorf("delivery %d: %d changes, signature verified %v; want 1 to 100, verified", i, len(a.ids), a.verified)
		}
	}
	if saved := store.waitSaved(t, 253); saved[len(saved)-1] != 253 {
		t.Errorf("places saved %v, want the last 253", saved)
	}
}

// TestFailedDeliveriesAreRetriedWithBackoff: an endpoint answering 500
// gets the same changes again, with the same ids, after waits that double
// up to MaxBackoff; the place moves on only once it takes them.
func TestFailedDeliveriesAreRetriedWithBackoff(t *testing.T) {
	store := &fakeStore{}
	r := newReceiver(t, func(n int) int {
		if n < 4 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	d := webhook.Start(store, spaceWith("s", r.hook()), fastOptions())
	defer d.Close()
	store.waitClaimed(t)
	store.add(2)
	r.waitTaken(2)
	as := r.all()
	if len(as) != 5 {
		t.Fatalf("%d attempts, want 4 failures and 1 success", len(as))
	}
	for i, a := range as {
		if !slices.Equal(a.ids, ids(1, 2)) || !a.verified {
			t.Errorf("attempt %d carried %v (verified %v), want chg_1 and chg_2 each time: the ids to deduplicate by", i, a.ids, a.verified)
		}
	}
	// Waits of 20, 40, 50, 50 ms (doubling, capped).
	for i, want := range []time.Duration{20, 40, 50, 50} {
		gap := as[i+1].at.Sub(as[i].at)
		if gap < want*time.Millisecond || gap > want*time.Millisecond+time.Second {
			t.Errorf("wait before attempt %d: %s, want about %dms", i+2, gap, want)
		}
	}
	if saved := store.waitSaved(t, 2); !slices.Equal(saved, []int64{2}) {
		t.Errorf("places saved %v, want only 2, after the success", saved)
	}
}

// TestCloseStopsADeliveryInFlight: Close returns although the endpoint
// never answers; the delivery is abandoned and its place not saved.
func TestCloseStopsADeliveryInFlight(t *testing.T) {
	store := &fakeStore{}
	block := make(chan struct{})
	defer close(block)
	hang := newReceiver(t, nil)
	hang.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { <-block })
	opts := fastOptions()
	opts.Timeout = time.Minute
	d := webhook.Start(store, spaceWith("s", hang.hook()), opts)
	store.waitClaimed(t)
	store.add(1)
	time.Sleep(200 * time.Millisecond)
	done := make(chan struct{})
	go func() { d.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for a delivery the endpoint never answers")
	}
	if saved := store.saved(); len(saved) != 0 {
		t.Errorf("places saved %v for a delivery never answered", saved)
	}
}

// TestDeliveryErrorsDoNotShowTheURL: a URL may carry credentials.
func TestDeliveryErrorsDoNotShowTheURL(t *testing.T) {
	var logs strings.Builder
	store := &fakeStore{}
	opts := fastOptions()
	opts.Logger = newLogger(&logs)
	hook := idgraph.Webhook{URL: "http://127.0.0.1:1/hook?token=s3cret", Secret: secret}
	d := webhook.Start(store, spaceWith("s", hook), opts)
	store.waitClaimed(t)
	store.add(1)
	time.Sleep(300 * time.Millisecond)
	d.Close()
	if !strings.Contains(logs.String(), "webhook delivery failed") || strings.Contains(logs.String(), "s3cret") {
		t.Errorf("logs %s: want the failure logged without the URL's token", logs.String())
	}
}
