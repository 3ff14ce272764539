// Package sandbox replays a space's stored events under candidate rules in
// memory (idgraph.Replay), shows the difference they would make, and
// promotes them: the rule sandbox. Simulations live in the process that
// ran them; promoting writes through the Store under the space's lock.
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"github.com/idgraph/idgraph"
)

// Store is what the sandbox reads and writes: graph.Store is one.
type Store interface {
	idgraph.RulesService
	EventArrivals(ctx context.Context, space string, since time.Time) ([]idgraph.ArrivalKey, error)
	ArchivedEvents(ctx context.Context, space string, keys []idgraph.ArrivalKey) ([]idgraph.ArchivedEvent, error)
	Members(ctx context.Context, space string) ([]idgraph.Member, error)
	RuleRefusals(ctx context.Context, space string) (map[string]int, error)
	SuppressedSet(ctx context.Context, space string) (map[idgraph.Identifier]bool, error)
	Links(ctx context.Context, space string, about *idgraph.Identifier, after *idgraph.LinkCursor, limit int) ([]idgraph.LinkDecision, error)
	PromoteRules(ctx context.Context, space idgraph.Space, v idgraph.RulesVersion, replay *idgraph.Replay, plan idgraph.PromotionPlan, progress func(idgraph.Progress)) error
}

// Locker runs fn alone among the space's writes: ingest.Writer's
// Exclusive, the space lock of this process.
type Locker interface {
	Exclusive(ctx context.Context, space idgraph.Space, fn func(context.Context) error) error
}

// Defaults.
const (
	// PageSize is how many stored events one read fetches, and Prefetch
	// how many reads run ahead of the replay.
	PageSize = 5000
	Prefetch = 3
	// Keep is how many finished simulations keep their replay, newest
	// first; older ones keep their difference only.
	Keep = 4
	// ArrivalSkew is how far before a simulation's start a promotion looks
	// for events that arrived during it: replicas' clocks differ, and an
	// event already replayed is skipped anyway.
	ArrivalSkew = time.Minute
)

// Options tune a Sandbox.
type Options struct {
	Logger *slog.Logger
}

// Sandbox runs simulations and promotions; it implements
// idgraph.SimulationService and is safe for concurrent use.
type Sandbox struct {
	store  Store
	lock   Locker
	log    *slog.Logger
	ctx    context.Context // ends the runs when the sandbox closes
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	sims      map[string]*simulation // by space + "/" + id
	order     []*simulation          // oldest first
	promoting map[string]string      // space → simulation id being promoted
}

var _ idgraph.SimulationService = (*Sandbox)(nil)

// simulation is one simulation's state; mu of the Sandbox guards sim, and
// replay once sim is done.
type simulation struct {
	sim    idgraph.Simulation
	rules  idgraph.Rules
	replay *idgraph.Replay
}

// New returns a sandbox over store, promoting under lock. Close it to stop
// its runs.
func New(store Store, lock Locker, opts Options) *Sandbox {
	ctx, cancel := context.WithCancel(context.Background())
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sandbox{store: store, lock: lock, log: log, ctx: ctx, cancel: cancel,
		sims: map[string]*simulation{}, promoting: map[string]string{}}
}

// Close stops the running simulations and promotions and waits for them.
func (s *Sandbox) Close() {
	s.cancel()
	s.wg.Wait()
}

func key(space, id string) string { return space + "/" + id }

func newSimulationID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "sim_" + hex.EncodeToString(b[:])
}

// Simulate starts a simulation (see idgraph.SimulationService).
func (s *Sandbox) Simulate(ctx context.Context, space idgraph.Space, rules idgraph.Rules, actor, reason string) (idgraph.Simulation, error) {
	active, err := s.store.ActiveRules(ctx, space)
	if err != nil {
		return idgraph.Simulation{}, err
	}
	sim := &simulation{rules: rules, sim: idgraph.Simulation{
		ID: newSimulationID(), Space: space.ID, State: idgraph.SimulationRunning,
		BaseVersion: active.Version, Rules: rules.Document(), Actor: actor, Reason: reason,
		StartedAt: time.Now().UTC(), Progress: idgraph.SimulationProgress{Stage: "starting"},
	}}
	s.mu.Lock()
	s.sims[key(space.ID, sim.sim.ID)] = sim
	s.order = append(s.order, sim)
	out := sim.sim
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.run(s.ctx, space, sim)
	}()
	return out, nil
}

// Simulation answers a simulation (see idgraph.SimulationService).
func (s *Sandbox) Simulation(_ context.Context, space, id string) (idgraph.Simulation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sim := s.sims[key(space, id)]
	if sim == nil {
		return idgraph.Simulation{}, idgraph.Errorf(idgraph.ENOTFOUND, "space %s has no simulation %s", space, id)
	}
	return sim.sim, nil
}

// finished returns the replay of a done (or promoted) simulation.
func (s *Sandbox) finished(space, id string) (*idgraph.Replay, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sim := s.sims[key(space, id)]
	if sim == nil {
		return nil, idgraph.Errorf(idgraph.ENOTFOUND, "space %s has no simulation %s", space, id)
	}
	switch sim.sim.State {
	case idgraph.SimulationRunning:
		return nil, idgraph.Errorf(idgraph.ECONFLICT, "simulation %s is still running", id)
	case idgraph.SimulationFailed:
		return nil, idgraph.Errorf(idgraph.ECONFLICT, "simulation %s failed: %s", id, sim.sim.Error)
	case idgraph.SimulationPromoting:
		return nil, idgraph.Errorf(idgraph.ECONFLICT, "simulation %s is being promoted", id)
	}
	if sim.replay == nil {
		return nil, idgraph.Errorf(idgraph.ENOTFOUND, "simulation %s is too old: its replay was dropped (the %d newest are kept)", id, Keep)
	}
	return sim.replay, nil
}

// SimulatedProfile answers a profile under the candidate rules.
func (s *Sandbox) SimulatedProfile(_ context.Context, space, id string, ident idgraph.Identifier) (idgraph.Profile, error) {
	r, err := s.finished(space, id)
	if err != nil {
		return idgraph.Profile{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := r.Profile(ident)
	if !ok {
		return idgraph.Profile{}, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s under the candidate rules", ident)
	}
	p.Space = space
	return p, nil
}

// SimulatedExplain explains under the candidate rules.
func (s *Sandbox) SimulatedExplain(_ context.Context, space, id string, from, to idgraph.Identifier) (idgraph.Explanation, error) {
	r, err := s.finished(space, id)
	if err != nil {
		return idgraph.Explanation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return r.Explain(from, to)
}

// update changes a simulation's state under the lock.
func (s *Sandbox) update(sim *simulation, fn func(*idgraph.Simulation)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(&sim.sim)
}

// forget drops the replays of all but the Keep newest finished
// simulations. The caller holds mu.
func (s *Sandbox) forget() {
	kept := 0
	for i := len(s.order) - 1; i >= 0; i-- {
		sim := s.order[i]
		if sim.replay == nil || sim.sim.State == idgraph.SimulationPromoting {
			continue
		}
		if kept++; kept > Keep {
			sim.replay = nil
		}
	}
}
