package cache

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// fakeStore answers Profile from a map, counting the calls; a call waits
// on gate when it is set. It explains two identifiers as together when
// one profile holds both, counting those calls apart.
type fakeStore struct {
	idgraph.ProfileService
	mu       sync.Mutex
	profiles map[idgraph.Identifier]idgraph.Profile
	calls    int
	explains int
	gate     chan struct{}
	entered  chan struct{}
}

func (f *fakeStore) Explain(_ context.Context, _ string, from, to idgraph.Identifier) (idgraph.Explanation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.explains++
	a, okA := f.profiles[from]
	b, okB := f.profiles[to]
	if !okA || !okB {
		return idgraph.Explanation{}, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s or %s", from, to)
	}
	return idgraph.Explanation{From: from, To: to, FromProfile: a.ID, ToProfile: b.ID, Together: a.ID == b.ID}, nil
}

func (f *fakeStore) explainCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.explains
}

func (f *fakeStore) Profile(_ context.Context, _ string, id idgraph.Identifier) (idgraph.Profile, error) {
	f.mu.Lock()
	f.calls++
	p, ok := f.profiles[id]
	gate, entered := f.gate, f.entered
	f.mu.Unlock()
	if gate != nil {
		entered <- struct{}{}
		<-gate
	}
	if !ok {
		return idgraph.Profile{}, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	return p, nil
}

func (f *fakeStore) set(id idgraph.Identifier, p idgraph.Profile) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.profiles[id] = p
}

func (f *fakeStore) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// fakeMarks answers a settable mark per space, or err.
type fakeMarks struct {
	mu    sync.Mutex
	marks map[string]string
	err   error
}

func (f *fakeMarks) WriteMark(_ context.Context, space string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.marks[space], f.err
}

func (f *fakeMarks) set(space, mark string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.marks[space], f.err = mark, err
}

var (
	u1 = idgraph.Identifier{Type: "user_id", Value: "u1"}
	a1 = idgraph.Identifier{Type: "anonymous_id", Value: "a1"}
)

func profileOf(id string, ids ...idgraph.Identifier) idgraph.Profile {
	p := idgraph.Profile{ID: id}
	for _, i := range ids {
		p.Identifiers = append(p.Identifiers, idgraph.Sighting{Identifier: i})
	}
	return p
}

// newTestCache returns a cache over a store holding u1's profile, counting
// the lookups' misses and hits (explanations' apart, in explained), and
// closed when the test ends.
func newTestCache(t testing.TB, staleness time.Duration) (*Profiles, *fakeStore, *fakeMarks, *[2]int) {
	c, store, marks, seen, _ := newCacheCounting(t, staleness)
	return c, store, marks, seen
}

// newCacheCounting is newTestCache, also returning the explanations' misses
// and hits.
func newCacheCounting(t testing.TB, staleness time.Duration) (*Profiles, *fakeStore, *fakeMarks, *[2]int, *[2]int) {
	t.Helper()
	store := &fakeStore{profiles: map[idgraph.Identifier]idgraph.Profile{u1: profileOf("prf_1", u1)}}
	marks := &fakeMarks{marks: map[string]string{"shop": "m1", "other": "o1"}}
	var mu sync.Mutex
	var seen, explained [2]int // misses, hits
	c, err := New(store, marks, Options{Size: 100, Staleness: staleness, Observe: func(read string, hit bool) {
		mu.Lock()
		defer mu.Unlock()
		counts := map[string]*[2]int{ReadProfile: &seen, ReadExplanation: &explained}[read]
		if counts == nil {
			t.Errorf("observed a read of kind %q", read)
			return
		}
		if hit {
			counts[1]++
		} else {
			counts[0]++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, store, marks, &seen, &explained
}

// lookup asks for id in space and checks the profile id answered.
func lookup(t testing.TB, c *Profiles, space string, id idgraph.Identifier, want string) {
	t.Helper()
	p, err := c.Profile(context.Background(), space, id)
	if err != nil || p.ID != want {
		t.Fatalf("Profile(%s, %s) = %q, %v; want %q", space, id, p.ID, err, want)
	}
}

// warm looks id up until the cache answers it from memory (the space's mark
// is read once first) and returns the store's calls then.
func warm(t testing.TB, c *Profiles, store *fakeStore, space string, id idgraph.Identifier, want string) int {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		before := store.count()
		lookup(t, c, space, id, want)
		if store.count() == before {
			return before
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cache never answered %s in %s", id, space)
		}
	}
}

func TestProfileAnsweredFromCacheAfterFirstRead(t *testing.T) {
	c, store, _, seen := newTestCache(t, time.Minute)
	calls := warm(t, c, store, "shop", u1, "prf_1")
	for range 5 {
		lookup(t, c, "shop", u1, "prf_1")
	}
	if got := store.count(); got != calls {
		t.Errorf("the store was asked %d times after the cache held the profile, want none", got-calls)
	}
	if seen[1] < 6 || seen[0] != calls {
		t.Errorf("observed %d hits and %d misses, want at least 6 hits and %d misses", seen[1], seen[0], calls)
	}
}

// TestExplanationsAreKeptLikeProfiles: an explanation is answered from the
// cache once read, per pair in the order asked, until a write of its space
// ends; errors are never kept.
func TestExplanationsAreKeptLikeProfiles(t *testing.T) {
	c, store, _, _, explained := newCacheCounting(t, time.Minute)
	store.set(a1, profileOf("prf_2", a1))
	ctx := context.Background()
	explain := func(from, to idgraph.Identifier) idgraph.Explanation {
		t.Helper()
		x, err := c.Explain(ctx, "shop", from, to)
		if err != nil {
			t.Fatalf("Explain(%s, %s): %v", from, to, err)
		}
		return x
	}
	warm(t, c, store, "shop", u1, "prf_1") // the space's mark is read
	if x := explain(u1, a1); x.Together || x.FromProfile != "prf_1" || x.ToProfile != "prf_2" {
		t.Fatalf("first explanation = %+v, want apart, prf_1 and prf_2", x)
	}
	for range 3 {
		explain(u1, a1)
	}
	if got := store.explainCount(); got != 1 {
		t.Errorf("the store explained %d times, want once: the cache answers the repeats", got)
	}
	if explained[0] != 1 || explained[1] != 3 {
		t.Errorf("observed %d explanation misses and %d hits, want 1 and 3", explained[0], explained[1])
	}
	// The other order is another pair.
	if x := explain(a1, u1); x.From != a1 || store.explainCount() != 2 {
		t.Errorf("Explain(a1, u1) = %+v after %d store calls, want from a1, from the store", x, store.explainCount())
	}

	// A write of the space: the next explanation is read again.
	store.set(u1, profileOf("prf_2", u1, a1))
	store.set(a1, profileOf("prf_2", u1, a1))
	c.Committed("shop")
	if x := explain(u1, a1); !x.Together || store.explainCount() != 3 {
		t.Errorf("after a write: %+v after %d store calls, want together, read again", x, store.explainCount())
	}

	// Errors are asked again every time.
	for i := range 2 {
		before := store.explainCount()
		if _, err := c.Explain(ctx, "shop", u1, idgraph.Identifier{Type: "email", Value: "nobody@example.com"}); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
			t.Fatalf("explanation %d of an unknown identifier: %v, want ENOTFOUND", i, err)
		}
		if store.explainCount() != before+1 {
			t.Errorf("explanation %d of an unknown identifier came from the cache", i)
		}
	}
}

func TestCommittedDropsTheSpaceAtOnce(t *testing.T) {
	c, store, _, _ := newTestCache(t, time.Minute)
	warm(t, c, store, "shop", u1, "prf_1")
	store.set(u1, profileOf("prf_2", u1, a1))
	store.set(a1, profileOf("prf_2", u1, a1))
	warm(t, c, store, "other", u1, "prf_2")

	c.Committed("shop")
	lookup(t, c, "shop", u1, "prf_2")
	// Another space's entries stay.
	before := store.count()
	lookup(t, c, "other", u1, "prf_2")
	if store.count() != before {
		t.Errorf("a write of shop dropped other's entries")
	}
	c.Committed("never-looked-up") // nothing to drop, no state made
}

func TestErrorsAreNeverKept(t *testing.T) {
	c, store, _, _ := newTestCache(t, time.Minute)
	warm(t, c, store, "shop", u1, "prf_1")
	for i := range 3 {
		before := store.count()
		_, err := c.Profile(context.Background(), "shop", a1)
		if idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
			t.Fatalf("lookup %d of a1 = %v, want ENOTFOUND", i, err)
		}
		if store.count() != before+1 {
			t.Fatalf("lookup %d of a1 was not asked of the store", i)
		}
	}
	// Written later, a1 is found at the next lookup.
	store.set(a1, profileOf("prf_1", u1, a1))
	c.Committed("shop")
	lookup(t, c, "shop", a1, "prf_1")
}

func TestAWriteDuringAReadIsNotKept(t *testing.T) {
	c, store, _, _ := newTestCache(t, time.Minute)
	warm(t, c, store, "shop", u1, "prf_1")
	c.Committed("shop") // the next lookup reads the store
	store.gate, store.entered = make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Read before the write commits.
		if p, err := c.Profile(context.Background(), "shop", u1); err != nil || p.ID != "prf_1" {
			t.Errorf("the read in flight = %q, %v; want prf_1", p.ID, err)
		}
	}()
	<-store.entered
	store.set(u1, profileOf("prf_2", u1))
	c.Committed("shop") // the write ends while the read is in flight
	close(store.gate)
	<-done
	store.gate = nil
	lookup(t, c, "shop", u1, "prf_2")
}

func TestAnotherProcessWriteShowsWithinStaleness(t *testing.T) {
	const staleness = 100 * time.Millisecond
	c, store, marks, _ := newTestCache(t, staleness)
	warm(t, c, store, "shop", u1, "prf_1")
	store.set(u1, profileOf("prf_2", u1)) // another replica writes...
	marks.set("shop", "m2", nil)          // ...which changes the mark
	wrote := time.Now()
	for {
		start := time.Now()
		p, err := c.Profile(context.Background(), "shop", u1)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID == "prf_2" {
			break
		}
		if lag := start.Sub(wrote); lag > staleness {
			t.Fatalf("a lookup %s after another process's write answered %s: want the write within %s", lag, p.ID, staleness)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestAMarkThatCannotBeReadStopsTheCache(t *testing.T) {
	const staleness = 100 * time.Millisecond
	c, store, marks, _ := newTestCache(t, staleness)
	warm(t, c, store, "shop", u1, "prf_1")
	marks.set("shop", "m1", errors.New("neo4j unreachable"))
	time.Sleep(staleness + 20*time.Millisecond)
	before := store.count()
	lookup(t, c, "shop", u1, "prf_1")
	if store.count() != before+1 {
		t.Errorf("with the mark unread for longer than the staleness bound, the lookup was answered from memory")
	}
	marks.set("shop", "m1", nil)
	warm(t, c, store, "shop", u1, "prf_1")
}

func TestNewRefusesABadSize(t *testing.T) {
	for _, o := range []Options{{Size: 0}, {Size: -1}, {Size: 10, Staleness: -time.Second}} {
		if _, err := New(&fakeStore{}, &fakeMarks{}, o); idgraph.ErrorCode(err) != idgraph.EINVALID {
			t.Errorf("New(%+v) = %v, want EINVALID", o, err)
		}
	}
}

// BenchmarkProfileHit times a lookup the cache answers, from every core at
// once.
func BenchmarkProfileHit(b *testing.B) {
	c, store, _, _ := newTestCache(b, time.Minute)
	warm(b, c, store, "shop", u1, "prf_1")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Profile(context.Background(), "shop", u1); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
