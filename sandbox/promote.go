package sandbox

import (
	"context"
	"time"

	"github.com/idgraph/idgraph"
)

// Promote starts promoting a done simulation (see
// idgraph.SimulationService): under the space's lock it replays the events
// that arrived during the simulation, then writes the replay over the live
// profiles and makes its rules the active version.
func (s *Sandbox) Promote(ctx context.Context, space idgraph.Space, id, actor string) (idgraph.Simulation, error) {
	active, err := s.store.ActiveRules(ctx, space)
	if err != nil {
		return idgraph.Simulation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sim := s.sims[key(space.ID, id)]
	if sim == nil {
		return idgraph.Simulation{}, idgraph.Errorf(idgraph.ENOTFOUND, "space %s has no simulation %s", space.ID, id)
	}
	if other, ok := s.promoting[space.ID]; ok {
		return idgraph.Simulation{}, idgraph.Errorf(idgraph.ECONFLICT, "simulation %s of space %s is being promoted", other, space.ID)
	}
	switch sim.sim.State {
	case idgraph.SimulationRunning:
		return idgraph.Simulation{}, idgraph.Errorf(idgraph.ECONFLICT, "simulation %s is still running", id)
	case idgraph.SimulationFailed:
		return idgraph.Simulation{}, idgraph.Errorf(idgraph.ECONFLICT, "simulation %s failed: %s", id, sim.sim.Error)
	case idgraph.SimulationPromoted:
		return idgraph.Simulation{}, idgraph.Errorf(idgraph.ECONFLICT, "simulation %s was promoted already (version %d)", id, sim.sim.Version)
	}
	if active.Version != sim.sim.BaseVersion {
		return idgraph.Simulation{}, idgraph.Errorf(idgraph.ECONFLICT, "the rules of space %s changed since simulation %s started: version %d is active, it started from version %d; simulate again", space.ID, id, active.Version, sim.sim.BaseVersion)
	}
	if sim.replay == nil {
		return idgraph.Simulation{}, idgraph.Errorf(idgraph.ECONFLICT, "simulation %s is too old: its replay was dropped; simulate again", id)
	}
	s.promoting[space.ID] = id
	sim.sim.State = idgraph.SimulationPromoting
	sim.sim.Progress = idgraph.SimulationProgress{Stage: "waiting for the space lock"}
	out := sim.sim
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.promote(s.ctx, space, sim, actor)
	}()
	return out, nil
}

// promote runs a promotion under the space's lock.
func (s *Sandbox) promote(ctx context.Context, space idgraph.Space, sim *simulation, actor string) {
	start := time.Now()
	var prom idgraph.Promotion
	v := idgraph.RulesVersion{
		Version: sim.sim.BaseVersion + 1, Rules: sim.rules, Actor: actor,
		Reason: sim.sim.Reason, SimulationID: sim.sim.ID,
	}
	err := s.lock.Exclusive(ctx, space, func(context.Context) error {
		// The lock's context is bounded for a correction's time; a
		// promotion takes longer, and the queue waits for it all the same.
		s.update(sim, func(m *idgraph.Simulation) { m.Progress = idgraph.SimulationProgress{Stage: "catch up"} })
		if err := s.catchUp(ctx, space.ID, sim.replay, sim.sim.StartedAt, &prom.CaughtUp); err != nil {
			return err
		}
		before, err := s.store.Members(ctx, space.ID)
		if err != nil {
			return err
		}
		plan := sim.replay.Plan(before, time.Now().UTC(), nil)
		prom.Profiles, prom.Kept, prom.Created, prom.Retired = len(plan.Profiles)+len(plan.Orphans), plan.Kept, plan.Created+len(plan.Orphans), len(plan.Retired)
		return s.store.PromoteRules(ctx, space, v, sim.replay, plan, func(p idgraph.Progress) {
			s.update(sim, func(m *idgraph.Simulation) {
				m.Progress = idgraph.SimulationProgress(p)
			})
		})
	})
	prom.Took = time.Since(start)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.promoting, space.ID)
	if err != nil {
		// The promotion did not switch the rules; what it wrote before
		// failing is repaired by promoting again or by idgraph rebuild.
		sim.sim.State, sim.sim.Error = idgraph.SimulationFailed, "promote: "+idgraph.ErrorMessage(err)
		s.log.Error("promotion failed", "space", space.ID, "simulation", sim.sim.ID, "error", err)
		return
	}
	sim.sim.State, sim.sim.Version, sim.sim.PromotedAt, sim.sim.Promotion = idgraph.SimulationPromoted, v.Version, time.Now().UTC(), &prom
	sim.sim.Progress.Stage = "promoted"
}
