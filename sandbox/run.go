package sandbox

import (
	"context"
	"time"

	"github.com/idgraph/idgraph"
)

// run replays the space's stored events under the simulation's rules and
// computes the difference.
func (s *Sandbox) run(ctx context.Context, space idgraph.Space, sim *simulation) {
	replay, diff, err := s.replay(ctx, space, sim)
	s.mu.Lock()
	defer s.mu.Unlock()
	sim.sim.FinishedAt = time.Now().UTC()
	if err != nil {
		sim.sim.State, sim.sim.Error = idgraph.SimulationFailed, idgraph.ErrorMessage(err)
		s.log.Error("simulation failed", "space", space.ID, "simulation", sim.sim.ID, "error", err)
		return
	}
	sim.replay, sim.sim.Difference, sim.sim.State = replay, &diff, idgraph.SimulationDone
	sim.sim.Progress.Stage = "done"
	s.forget()
}

func (s *Sandbox) replay(ctx context.Context, space idgraph.Space, sim *simulation) (*idgraph.Replay, idgraph.SimulationDiff, error) {
	never, err := s.never(ctx, space.ID)
	if err != nil {
		return nil, idgraph.SimulationDiff{}, err
	}
	suppressed, err := s.store.SuppressedSet(ctx, space.ID)
	if err != nil {
		return nil, idgraph.SimulationDiff{}, err
	}
	replay := idgraph.NewReplay(sim.rules, never, suppressed, nil)
	keys, err := s.store.EventArrivals(ctx, space.ID, time.Time{})
	if err != nil {
		return nil, idgraph.SimulationDiff{}, err
	}
	progress := func(stage string, done, total int) {
		s.update(sim, func(m *idgraph.Simulation) {
			m.Progress = idgraph.SimulationProgress{Stage: stage, Done: done, Total: total}
		})
	}
	if err := s.apply(ctx, space.ID, replay, keys, "replay", progress); err != nil {
		return nil, idgraph.SimulationDiff{}, err
	}
	progress("difference", len(keys), len(keys))
	// The live state is read after the replay; events that arrived
	// meanwhile are replayed too, so both sides count them.
	before, err := s.store.Members(ctx, space.ID)
	if err != nil {
		return nil, idgraph.SimulationDiff{}, err
	}
	refusals, err := s.store.RuleRefusals(ctx, space.ID)
	if err != nil {
		return nil, idgraph.SimulationDiff{}, err
	}
	if err := s.catchUp(ctx, space.ID, replay, sim.sim.StartedAt, nil); err != nil {
		return nil, idgraph.SimulationDiff{}, err
	}
	return replay, replay.Diff(before, refusals), nil
}

// apply reads the events named by keys a page at a time, Prefetch pages
// ahead, and applies them in order.
func (s *Sandbox) apply(ctx context.Context, space string, replay *idgraph.Replay, keys []idgraph.ArrivalKey, stage string, progress func(string, int, int)) error {
	type page struct {
		events []idgraph.ArchivedEvent
		err    error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// pages holds each page's answer, in order; a slot in sem is a read in
	// flight.
	pages := make(chan chan page, Prefetch)
	sem := make(chan struct{}, Prefetch)
	go func() {
		defer close(pages)
		for i := 0; i < len(keys); i += PageSize {
			out := make(chan page, 1)
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			pages <- out
			go func(part []idgraph.ArrivalKey) {
				defer func() { <-sem }()
				events, err := s.store.ArchivedEvents(ctx, space, part)
				out <- page{events, err}
			}(keys[i:min(i+PageSize, len(keys))])
		}
	}()
	done := 0
	for out := range pages {
		if progress != nil {
			progress(stage, done, len(keys))
		}
		p := <-out
		if p.err != nil {
			return p.err
		}
		for _, e := range p.events {
			replay.ApplyArchived(e)
		}
		done = min(done+PageSize, len(keys))
	}
	if err := ctx.Err(); err != nil {
		return idgraph.WrapError(idgraph.EUNAVAILABLE, err, "simulation stopped")
	}
	if progress != nil {
		progress(stage, len(keys), len(keys))
	}
	return nil
}

// catchUp replays the events that arrived since started (less the clock
// skew allowed), once each; it answers how many were new through n when
// set.
func (s *Sandbox) catchUp(ctx context.Context, space string, replay *idgraph.Replay, started time.Time, n *int) error {
	keys, err := s.store.EventArrivals(ctx, space, started.Add(-ArrivalSkew))
	if err != nil {
		return err
	}
	before := replay.Events()
	if err := s.apply(ctx, space, replay, keys, "catch up", nil); err != nil {
		return err
	}
	if n != nil {
		*n = replay.Events() - before
	}
	return nil
}

// never returns the space's never decisions.
func (s *Sandbox) never(ctx context.Context, space string) ([]idgraph.LinkDecision, error) {
	const page = 1000
	var out []idgraph.LinkDecision
	var after *idgraph.LinkCursor
	for {
		ds, err := s.store.Links(ctx, space, nil, after, page)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if d.Decision == idgraph.DecisionNever {
				out = append(out, d)
			}
		}
		if len(ds) < page {
			return out, nil
		}
		last := ds[len(ds)-1]
		after = &idgraph.LinkCursor{At: last.At, ID: last.ID}
	}
}
