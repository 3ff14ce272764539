package webhook_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// fakeStore is a feed and webhook places in memory, with a lease that is
// always granted.
type fakeStore struct {
	mu      sync.Mutex
	changes []idgraph.Change
	signal  chan struct{}
	places  map[string]int64
	saves   []int64
}

func (f *fakeStore) add(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		seq := int64(len(f.changes) + 1)
		f.changes = append(f.changes, idgraph.Change{
			ID: fmt.Sprint("chg_", seq), Seq: seq, Cursor: idgraph.ChangeCursor(seq), Kind: idgraph.ChangeProfileCreated,
			At: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ProfileID: fmt.Sprint("prf_", seq),
		})
	}
	if f.signal != nil {
		close(f.signal)
		f.signal = nil
	}
}

func (f *fakeStore) Changes(ctx context.Context, _ string, after int64, limit int) ([]idgraph.Change, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []idgraph.Change
	for _, c := range f.changes {
		if c.Seq > after && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, ctx.Err()
}

func (f *fakeStore) ChangeSignal(string) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.signal == nil {
		f.signal = make(chan struct{})
	}
	return f.signal
}

func (f *fakeStore) ClaimWebhook(_ context.Context, space, key, _ string, _ time.Duration) (int64, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.places == nil {
		f.places = map[string]int64{}
	}
	k := space + "/" + key
	if _, ok := f.places[k]; !ok {
		f.places[k] = int64(len(f.changes))
	}
	return f.places[k], true, nil
}

func (f *fakeStore) SaveWebhook(_ context.Context, space, key, _ string, seq int64, _ time.Duration) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.places[space+"/"+key] = seq
	f.saves = append(f.saves, seq)
	return true, nil
}

func (f *fakeStore) ReleaseWebhook(context.Context, string, string, string) error { return nil }

// waitClaimed waits until a webhook has claimed its place.
func (f *fakeStore) waitClaimed(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		f.mu.Lock()
		n := len(f.places)
		f.mu.Unlock()
		if n > 0 {
			return
		}
	}
	t.Fatal("no webhook claimed its place")
}

// waitSaved waits until a webhook has saved the place seq, and returns the
// places saved by then: a delivery's answer reaches the receiver before
// the dispatcher saves its place.
func (f *fakeStore) waitSaved(t *testing.T, seq int64) []int64 {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if saved := f.saved(); slices.Contains(saved, seq) {
			return saved
		}
	}
	t.Fatalf("no webhook saved the place %d; saved %v", seq, f.saved())
	return nil
}

func (f *fakeStore) saved() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int64(nil), f.saves...)
}
