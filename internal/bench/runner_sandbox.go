package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/sandbox"
)

// sandboxLimit is the anonymous_id limit the rule sandbox's phase
// simulates and promotes, down from the default of 5: a change that
// refuses links and moves identifiers, so the promotion has work to do.
const sandboxLimit = 2

// ruleSandbox times the rule sandbox on the main graph, last because it
// changes it: simulating a lower anonymous_id limit (replaying every stored
// event in memory, then the difference), then promoting it.
func (r *runner) ruleSandbox(ctx context.Context, sp *benchSpace) error {
	space := idgraph.Space{ID: sp.id, Rules: idgraph.DefaultRules()}
	rules, err := idgraph.ParseRules(fmt.Appendf(nil, "identifiers: [{type: anonymous_id, limit: %d}]", sandboxLimit))
	if err != nil {
		return err
	}
	store := graph.NewStore(r.db)
	writer := ingest.NewWriter(store, ingest.WriterOptions{})
	defer writer.Close()
	box := sandbox.New(store, writer, sandbox.Options{})
	defer box.Close()

	r.logf("rule sandbox: simulate anonymous_id limit %d on %s", sandboxLimit, sp.id)
	pctx, cancel := r.phase(ctx)
	defer cancel()
	start := time.Now()
	sim, err := box.Simulate(pctx, space, rules, "bench", "benchmark")
	if err != nil {
		return err
	}
	if sim, err = awaitSimulation(pctx, box, sim, idgraph.SimulationRunning); err != nil {
		return err
	}
	simulated := time.Since(start)
	if sim.State != idgraph.SimulationDone {
		return fmt.Errorf("rule sandbox: simulation %s: %s", sim.State, sim.Error)
	}
	d := sim.Difference
	f := r.rep.add(Figure{Key: "sandbox.simulate", Section: "Rule sandbox", Name: "simulate a rule change", Value: simulated.Seconds(), Unit: "s",
		Method: fmt.Sprintf("`sandbox.Simulate` of anonymous_id limit %d on the %s-event graph the most clients built, in the benchmark's process, until its difference is ready: every stored event read in arrival order and replayed in memory, the live memberships read and compared. It replayed %s events: profiles %s → %s, %s merges gained, %s lost, %s identifiers moved, limit:anonymous_id refusals %s → %s. %s",
			sandboxLimit, thousands(float64(r.o.Events)), thousands(float64(d.Events)), thousands(float64(d.ProfilesBefore)), thousands(float64(d.ProfilesAfter)),
			thousands(float64(d.MergesGained)), thousands(float64(d.MergesLost)), thousands(float64(d.IdentifiersMoved)),
			thousands(float64(d.RefusalsBefore["limit:anonymous_id"])), thousands(float64(d.RefusalsAfter["limit:anonymous_id"])), r.sizeNote())})
	f.target(false, 120, "s")

	r.logf("rule sandbox: promote %s", sim.ID)
	start = time.Now()
	if sim, err = box.Promote(pctx, space, sim.ID, "bench"); err != nil {
		return err
	}
	if sim, err = awaitSimulation(pctx, box, sim, idgraph.SimulationPromoting); err != nil {
		return err
	}
	promoted := time.Since(start)
	if sim.State != idgraph.SimulationPromoted {
		return fmt.Errorf("rule sandbox: promotion %s: %s", sim.State, sim.Error)
	}
	p := sim.Promotion
	f = r.rep.add(Figure{Key: "sandbox.promote", Section: "Rule sandbox", Name: "promote it", Value: promoted.Seconds(), Unit: "s",
		Method: fmt.Sprintf("`sandbox.Promote` of that simulation until the new version is active: under the space lock, the catch-up of events since the simulation started, then links, refusals, profiles, memberships and history written in batches. %s profiles after (%s kept their id, %s new, %s retired). %s",
			thousands(float64(p.Profiles)), thousands(float64(p.Kept)), thousands(float64(p.Created)), thousands(float64(p.Retired)), r.sizeNote())})
	f.target(false, 600, "s")
	return nil
}

// awaitSimulation polls sim until it leaves state.
func awaitSimulation(ctx context.Context, box *sandbox.Sandbox, sim idgraph.Simulation, state idgraph.SimulationStatus) (idgraph.Simulation, error) {
	for sim.State == state {
		select {
		case <-ctx.Done():
			return sim, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		var err error
		if sim, err = box.Simulation(ctx, sim.Space, sim.ID); err != nil {
			return sim, err
		}
	}
	return sim, nil
}
