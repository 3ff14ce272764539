// Package cache keeps profile reads in memory in front of the store, so
// that a lookup by identifier (external_ids, traits) or an explanation
// (explain) answered a moment ago is answered again without a round trip
// to Neo4j.
//
// An entry is served only while two things hold, which is what keeps it
// exact in one process and bounded with replicas:
//
//   - No write of its space has ended in this process since it was read:
//     the store calls Committed after each write transaction of a space (in
//     cmd/idgraph, graph.Store's OnCommit), before the write answers its
//     caller, and Committed moves the space to a new generation that no
//     entry read before it carries. A lookup that follows a write in this
//     process therefore never sees what the write changed away.
//   - The space's write mark, which every write transaction of the space
//     changes in Neo4j (graph.Store's WriteMark), was read unchanged within
//     the last Staleness: a poller reads it every Staleness/2 for each
//     space looked up, and a mark that changed (another replica, or an
//     idgraph command, wrote) moves the space to a new generation too. A
//     lookup may therefore lag a commit made by another process by at most
//     Staleness; when the mark cannot be read, entries stop being served
//     after Staleness and every lookup goes to the store.
//
// Both kinds of read, lookups and explanations, follow these rules: an
// explanation depends on nothing but the space's graph, as a profile does.
// A per-space generation drops all of a space's entries at each write,
// which is coarse: while a space takes a steady stream of events the cache
// of that space fills and empties at each batch. It is exact without every
// write path listing what it touched (ingestion, corrections, deletes,
// rebuilds, promotions, shared identifiers, traits), and a write-heavy space
// costs no more than it does without a cache. Errors (ENOTFOUND included,
// and ECONFLICT for a shared identifier) are never kept, so a lookup that
// failed is asked again.
package cache

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/idgraph/idgraph"
)

// DefaultStaleness is how far behind another process's writes a lookup may
// be when Options.Staleness is not set.
const DefaultStaleness = time.Second

// MarkService reads a space's write mark: a value that every write
// transaction of the space changes, in any process. graph.Store is one.
type MarkService interface {
	// WriteMark returns the space's mark ("" before its first write).
	WriteMark(ctx context.Context, space string) (string, error)
}

// Store is what Profiles reads through: profiles and explanations.
// graph.Store is one.
type Store interface {
	idgraph.ProfileService
	idgraph.ExplanationService
}

// The kinds of read Profiles keeps, as Options.Observe names them.
const (
	ReadProfile     = "profile"
	ReadExplanation = "explanation"
)

// Options configures Profiles.
type Options struct {
	// Size bounds each of the two caches, lookups and explanations: the
	// identifiers of the profiles it holds, summed over its entries (each
	// entry weighs 1 + its profile's identifiers), and the links of the
	// explanations (each weighs 1 + its path's hops and the rejections,
	// decisions and cuts it names). It must be positive.
	Size int
	// Staleness bounds how far behind other processes' writes an entry may
	// be (DefaultStaleness when zero).
	Staleness time.Duration
	// Observe, when set, is told of every read: its kind (ReadProfile or
	// ReadExplanation), and whether the cache answered it (hit) or the
	// store did (miss).
	Observe func(read string, hit bool)
	// Logger logs the mark reads that fail (slog.Default when nil).
	Logger *slog.Logger
}

// Profiles is an idgraph.ProfileService that keeps the profiles Profile
// answers, by space and identifier, and an idgraph.ExplanationService that
// keeps the explanations Explain answers, by space and pair; its other
// methods go to the store unchanged. Close stops its poller.
type Profiles struct {
	idgraph.ProfileService
	explainer idgraph.ExplanationService
	marks     MarkService
	staleness time.Duration
	observe   func(string, bool)
	logger    *slog.Logger

	entries      *otter.Cache[key, *entry[idgraph.Profile]]
	explanations *otter.Cache[pair, *entry[idgraph.Explanation]]
	spaces       sync.Map // space name → *space
	wake         chan struct{}
	stop         context.CancelFunc
	done         chan struct{}
}

var (
	_ idgraph.ProfileService     = (*Profiles)(nil)
	_ idgraph.ExplanationService = (*Profiles)(nil)
)

// key names a lookup's entry: a space and the identifier looked up.
type key struct {
	space string
	id    idgraph.Identifier
}

// pair names an explanation's entry: a space and the two identifiers, in
// the order asked.
type pair struct {
	space    string
	from, to idgraph.Identifier
}

// entry is a read's answer, in the generation of its space it was read in.
type entry[V any] struct {
	gen   uint64
	value V
}

// New returns a Profiles over store, whose marks come from marks, and
// starts its poller. EINVALID when o.Size is not positive or o.Staleness
// is negative.
func New(store Store, marks MarkService, o Options) (*Profiles, error) {
	if o.Size <= 0 {
		return nil, idgraph.Errorf(idgraph.EINVALID, "cache size %d: want a positive number of identifiers", o.Size)
	}
	if o.Staleness < 0 {
		return nil, idgraph.Errorf(idgraph.EINVALID, "cache staleness %s: want a positive duration", o.Staleness)
	}
	if o.Staleness == 0 {
		o.Staleness = DefaultStaleness
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	entries, err := otter.New(&otter.Options[key, *entry[idgraph.Profile]]{
		MaximumWeight: uint64(o.Size),
		Weigher: func(_ key, e *entry[idgraph.Profile]) uint32 {
			return weight(len(e.value.Identifiers))
		},
	})
	if err != nil {
		return nil, idgraph.WrapError(idgraph.EINTERNAL, err, "profile cache: %v", err)
	}
	explanations, err := otter.New(&otter.Options[pair, *entry[idgraph.Explanation]]{
		MaximumWeight: uint64(o.Size),
		Weigher: func(_ pair, e *entry[idgraph.Explanation]) uint32 {
			x := e.value
			return weight(len(x.Path) + len(x.Rejections) + len(x.Decisions) + len(x.Cuts))
		},
	})
	if err != nil {
		entries.StopAllGoroutines()
		return nil, idgraph.WrapError(idgraph.EINTERNAL, err, "explanation cache: %v", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	c := &Profiles{
		ProfileService: store, explainer: store, marks: marks, staleness: o.Staleness, observe: o.Observe, logger: o.Logger,
		entries: entries, explanations: explanations, wake: make(chan struct{}, 1), stop: stop, done: make(chan struct{}),
	}
	go c.poll(ctx)
	return c, nil
}

// Profile answers from the cache when it holds a current entry for id in
// space, else from the store, keeping what the store answers (never an
// error). The profile answered is shared: callers must not change it.
func (c *Profiles) Profile(ctx context.Context, space string, id idgraph.Identifier) (idgraph.Profile, error) {
	return read(c, c.entries, ReadProfile, space, key{space, id}, func() (idgraph.Profile, error) {
		return c.ProfileService.Profile(ctx, space, id)
	})
}

// Explain answers from the cache when it holds a current entry for the
// pair in space, else from the store, keeping what the store answers
// (never an error). The explanation answered is shared: callers must not
// change it.
func (c *Profiles) Explain(ctx context.Context, space string, from, to idgraph.Identifier) (idgraph.Explanation, error) {
	return read(c, c.explanations, ReadExplanation, space, pair{space, from, to}, func() (idgraph.Explanation, error) {
		return c.explainer.Explain(ctx, space, from, to)
	})
}

// read answers k from entries when they hold it in space's current
// generation and the space is fresh, else from load, keeping its answer
// unless it failed or a write of the space ended meanwhile.
func read[K comparable, V any](c *Profiles, entries *otter.Cache[K, *entry[V]], kind, space string, k K, load func() (V, error)) (V, error) {
	sp := c.space(space)
	gen, fresh := sp.current(c.staleness)
	if e, ok := entries.GetIfPresent(k); ok && fresh && e.gen == gen {
		c.observed(kind, true)
		return e.value, nil
	}
	c.observed(kind, false)
	v, err := load()
	if err != nil {
		return v, err
	}
	if sp.generation() == gen {
		entries.Set(k, &entry[V]{gen: gen, value: v})
	}
	return v, nil
}

// weight is an entry's weight for n identifiers or links: 1 + n.
func weight(n int) uint32 { return uint32(min(1+n, 1<<31)) }

// Committed drops every entry of space: a write of this process on it
// ended. Call it after the write's transaction ends and before the write
// answers its caller (graph.Store's OnCommit).
func (c *Profiles) Committed(name string) {
	if sp, ok := c.spaces.Load(name); ok {
		sp.(*space).advance()
	}
}

// Close stops the poller and empties the cache: from Staleness on, Profile
// and Explain go to the store every time.
func (c *Profiles) Close() {
	c.stop()
	<-c.done
	c.entries.InvalidateAll()
	c.entries.StopAllGoroutines()
	c.explanations.InvalidateAll()
	c.explanations.StopAllGoroutines()
}

func (c *Profiles) observed(kind string, hit bool) {
	if c.observe != nil {
		c.observe(kind, hit)
	}
}
