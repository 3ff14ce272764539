package sandbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/graphtest"
	"github.com/idgraph/idgraph/sandbox"
)

// fixture is a space on the test database with a writer and a sandbox.
type fixture struct {
	space  idgraph.Space
	source idgraph.Source
	store  *graph.Store
	writer *ingest.Writer
	box    *sandbox.Sandbox
	t0     time.Time
	n      int
}

// newFixture returns a space whose anonymous_id limit is 1.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	rules, err := idgraph.ParseRules([]byte(`{"identifiers": [{"type": "anonymous_id", "limit": 1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		space:  idgraph.Space{ID: graphtest.Space(t), Rules: rules},
		source: idgraph.Source{ID: "web", Name: "web"},
		store:  graph.NewStore(graphtest.Open(t)),
		t0:     time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	f.space.Sources = []idgraph.Source{f.source}
	f.writer = ingest.NewWriter(f.store, ingest.WriterOptions{})
	t.Cleanup(f.writer.Close)
	f.box = sandbox.New(f.store, f.writer, sandbox.Options{})
	t.Cleanup(f.box.Close)
	return f
}

// send writes one identify event of user with anon, and answers its id.
func (f *fixture) send(t *testing.T, user, anon string) string {
	t.Helper()
	f.n++
	e := idgraph.Event{Type: idgraph.EventIdentify, MessageID: fmt.Sprintf("m%05d", f.n),
		Timestamp: f.t0.Add(time.Duration(f.n) * time.Minute), ReceivedAt: time.Now().UTC(), UserID: user, AnonymousID: anon}
	if _, err := f.writer.Write(context.Background(), f.space, f.source, []idgraph.Event{e}); err != nil {
		t.Fatalf("write %s: %v", e.MessageID, err)
	}
	return e.MessageID
}

// wait polls the simulation until it leaves state.
func (f *fixture) wait(t *testing.T, id string, state idgraph.SimulationStatus) idgraph.Simulation {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		sim, err := f.box.Simulation(context.Background(), f.space.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if sim.State != state {
			return sim
		}
		if time.Now().After(deadline) {
			t.Fatalf("simulation %s still %s after a minute: %+v", id, state, sim.Progress)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (f *fixture) simulate(t *testing.T, doc string) idgraph.Simulation {
	t.Helper()
	rules, err := idgraph.ParseRules([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := f.box.Simulate(context.Background(), f.space, rules, "tester", "loosen anonymous_id")
	if err != nil {
		t.Fatal(err)
	}
	if sim.State != idgraph.SimulationRunning || sim.BaseVersion != 1 {
		t.Fatalf("started simulation: state %s base %d, want running from version 1", sim.State, sim.BaseVersion)
	}
	sim = f.wait(t, sim.ID, idgraph.SimulationRunning)
	if sim.State != idgraph.SimulationDone {
		t.Fatalf("simulation ended %s: %s", sim.State, sim.Error)
	}
	return sim
}

func ident(s string) idgraph.Identifier {
	id, err := idgraph.ParseIdentifier(s)
	if err != nil {
		panic(err)
	}
	return id
}

func TestSimulationDifference(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// u1 shows three anonymous ids: the limit of 1 refuses two links.
	f.send(t, "u1", "a1")
	f.send(t, "u1", "a2")
	f.send(t, "u1", "a3")
	f.send(t, "u2", "b1")
	before, err := f.store.Profile(ctx, f.space.ID, ident("user_id:u1"))
	if err != nil {
		t.Fatal(err)
	}
	sim := f.simulate(t, `{"identifiers": [{"type": "anonymous_id", "limit": 5}]}`)
	d := sim.Difference
	if d == nil {
		t.Fatal("done simulation has no difference")
	}
	if d.Events != 4 {
		t.Errorf("events replayed = %d, want 4", d.Events)
	}
	if d.ProfilesBefore != 4 || d.ProfilesAfter != 2 {
		t.Errorf("profiles before/after = %d/%d, want 4/2 (u1, a2, a3, u2 before; u1 with its anonymous ids and u2 after)", d.ProfilesBefore, d.ProfilesAfter)
	}
	if d.MergesGained != 2 || d.MergesLost != 0 {
		t.Errorf("merges gained/lost = %d/%d, want 2/0", d.MergesGained, d.MergesLost)
	}
	if d.IdentifiersMoved != 2 {
		t.Errorf("identifiers moved = %d, want 2 (a2 and a3): %+v", d.IdentifiersMoved, d.Moved)
	}
	if got := d.RefusalsBefore["limit:anonymous_id"]; got != 2 {
		t.Errorf("refusals before by limit:anonymous_id = %d, want 2 (%v)", got, d.RefusalsBefore)
	}
	if len(d.RefusalsAfter) != 0 {
		t.Errorf("refusals after = %v, want none", d.RefusalsAfter)
	}
	if len(d.LargestAfter) == 0 || d.LargestAfter[0].ProfileID != before.ID || d.LargestAfter[0].Identifiers != 4 {
		t.Errorf("largest after = %+v, want %s (u1's live id, kept) with 4 identifiers", d.LargestAfter, before.ID)
	}
	if len(d.Changed) != 1 || d.Changed[0].ProfileID != before.ID || len(d.Changed[0].Joined) != 2 || len(d.Changed[0].Why) == 0 {
		t.Errorf("changed = %+v, want u1's profile joining a2 and a3, with why", d.Changed)
	}

	// The live profiles did not change; the candidate's are readable.
	live, err := f.store.Profile(ctx, f.space.ID, ident("user_id:u1"))
	if err != nil || len(live.Identifiers) != 2 {
		t.Errorf("live u1 after simulating: %d identifiers, %v; want 2 (u1, a1)", len(live.Identifiers), err)
	}
	p, err := f.box.SimulatedProfile(ctx, f.space.ID, sim.ID, ident("anonymous_id:a3"))
	if err != nil || len(p.Identifiers) != 4 {
		t.Errorf("simulated profile of a3: %d identifiers, %v; want 4", len(p.Identifiers), err)
	}
	x, err := f.box.SimulatedExplain(ctx, f.space.ID, sim.ID, ident("anonymous_id:a3"), ident("anonymous_id:a1"))
	if err != nil || !x.Together || len(x.Path) != 2 {
		t.Errorf("simulated explain a3→a1: together %v, %d hops, %v; want together through u1 in 2 hops", x.Together, len(x.Path), err)
	}
	x, err = f.box.SimulatedExplain(ctx, f.space.ID, sim.ID, ident("anonymous_id:a3"), ident("user_id:u2"))
	if err != nil || x.Together {
		t.Errorf("simulated explain a3→u2: together %v, %v; want apart", x.Together, err)
	}
	if _, err := f.box.SimulatedProfile(ctx, f.space.ID, sim.ID, ident("user_id:nobody")); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("simulated profile of an unknown identifier: %v, want ENOTFOUND", err)
	}
	if _, err := f.box.Simulation(ctx, f.space.ID, "sim_nope"); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("unknown simulation: %v, want ENOTFOUND", err)
	}
}

func TestPromoteWhileEventsArrive(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 20 {
		f.send(t, fmt.Sprintf("u%d", i%5), fmt.Sprintf("a%d", i))
	}
	old, err := f.store.Profile(ctx, f.space.ID, ident("user_id:u0"))
	if err != nil {
		t.Fatal(err)
	}
	sim := f.simulate(t, `{"identifiers": [{"type": "anonymous_id", "limit": 10}]}`)

	// Events keep arriving during the promotion, from another goroutine.
	var (
		mu   sync.Mutex
		sent []string
		wg   sync.WaitGroup
	)
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		g := &fixture{space: f.space, source: f.source, writer: f.writer, t0: f.t0.Add(time.Hour), n: 1000}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := g.send(t, fmt.Sprintf("u%d", i%5), fmt.Sprintf("late%d", i))
			mu.Lock()
			sent = append(sent, id)
			mu.Unlock()
		}
	}()
	time.Sleep(50 * time.Millisecond)
	promoting, err := f.box.Promote(ctx, f.space, sim.ID, "tester")
	if err != nil {
		t.Fatal(err)
	}
	if promoting.State != idgraph.SimulationPromoting {
		t.Errorf("promote answered %s, want promoting", promoting.State)
	}
	if _, err := f.box.Promote(ctx, f.space, sim.ID, "tester"); idgraph.ErrorCode(err) != idgraph.ECONFLICT {
		t.Errorf("second promote while one runs: %v, want ECONFLICT", err)
	}
	done := f.wait(t, sim.ID, idgraph.SimulationPromoting)
	close(stop)
	wg.Wait()
	if done.State != idgraph.SimulationPromoted || done.Version != 2 {
		t.Fatalf("promotion ended %s (version %d): %s", done.State, done.Version, done.Error)
	}

	active, err := f.store.ActiveRules(ctx, f.space)
	if err != nil {
		t.Fatal(err)
	}
	if limit, _ := active.Rules.Limit("anonymous_id"); active.Version != 2 || limit != 10 || active.Actor != "tester" || active.SimulationID != sim.ID {
		t.Errorf("active rules: version %d, anonymous_id limit %d, actor %q, simulation %q; want 2, 10, tester, %s", active.Version, limit, active.Actor, active.SimulationID, sim.ID)
	}
	versions, err := f.store.RulesVersions(ctx, f.space)
	if err != nil || len(versions) != 2 || versions[0].Actor != idgraph.ConfigActor || versions[1].Version != 2 {
		t.Errorf("versions = %+v, %v; want the spaces file's 1 and the promoted 2", versions, err)
	}

	// Nothing lost, nothing resolved twice: every event is stored once,
	// and the graph holds to its invariants under the new rules.
	mu.Lock()
	late := len(sent)
	mu.Unlock()
	if late == 0 {
		t.Fatal("no event was sent during the promotion")
	}
	keys, err := f.store.EventArrivals(ctx, f.space.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 20+late {
		t.Errorf("stored events = %d, want %d (20 before, %d during)", len(keys), 20+late, late)
	}
	rep, err := f.store.Check(ctx, f.space, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Violations) != 0 {
		t.Errorf("check after promoting: %d violations, first %+v", len(rep.Violations), rep.Violations[0])
	}
	// u0 keeps its id (its oldest identifier stays) and holds all its
	// anonymous ids, the late ones too; its history says why.
	p, err := f.store.Profile(ctx, f.space.ID, ident("user_id:u0"))
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != old.ID {
		t.Errorf("u0's profile id = %s, want %s kept", p.ID, old.ID)
	}
	anon := 0
	for _, s := range p.Identifiers {
		if s.Type == "anonymous_id" {
			anon++
		}
	}
	if want := 4 + (late+4)/5; anon != want {
		t.Errorf("u0 holds %d anonymous ids, want %d (4 early, every 5th late one)", anon, want)
	}
	h, err := f.store.History(ctx, f.space.ID, ident("user_id:u0"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range h {
		if e.Kind == idgraph.HistoryRulesChanged && e.Detail != nil && e.Detail.RulesVersion == 2 && e.Actor == "tester" {
			found = true
		}
	}
	if !found {
		t.Errorf("history of u0 has no rules_changed entry for version 2: %+v", h)
	}
	// The change feed tells downstream systems what moved, citing the
	// rules change.
	changes, err := f.store.Changes(ctx, f.space.ID, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	moved, merged := 0, 0
	for _, c := range changes {
		if c.Evidence.CorrectionID != "rules_"+f.space.ID+"_v2" || c.Evidence.Actor != "tester" {
			continue
		}
		switch c.Kind {
		case idgraph.ChangeIdentifierAdded:
			moved++
		case idgraph.ChangeProfileMerged:
			merged++
		}
	}
	if moved == 0 || merged == 0 {
		t.Errorf("the feed holds %d identifier.added and %d profile.merged of the rules change, want some of each", moved, merged)
	}
	// A late event resolves under the new rules.
	f.n = 5000
	f.send(t, "u0", "later")
	p, _ = f.store.Profile(ctx, f.space.ID, ident("anonymous_id:later"))
	if p.ID != old.ID {
		t.Errorf("an event after the promotion went to %s, want u0's %s", p.ID, old.ID)
	}
}

func TestPromoteRefusesStaleSimulation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.send(t, "u1", "a1")
	f.send(t, "u1", "a2")
	// Another replica: a store of its own, its rules read before the
	// promotion.
	replica := graph.NewStore(graphtest.Open(t))
	other := func(msg, user, anon string) {
		t.Helper()
		e := idgraph.Event{Type: idgraph.EventIdentify, MessageID: msg, Timestamp: f.t0.Add(time.Hour), ReceivedAt: time.Now().UTC(), UserID: user, AnonymousID: anon}
		if _, err := replica.Resolve(ctx, f.space, f.source, []idgraph.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	other("r1", "u5", "x1")
	first := f.simulate(t, `{"identifiers": [{"type": "anonymous_id", "limit": 2}]}`)
	second := f.simulate(t, `{"identifiers": [{"type": "anonymous_id", "limit": 3}]}`)
	if _, err := f.box.Promote(ctx, f.space, first.ID, "tester"); err != nil {
		t.Fatal(err)
	}
	if sim := f.wait(t, first.ID, idgraph.SimulationPromoting); sim.State != idgraph.SimulationPromoted {
		t.Fatalf("first promotion ended %s: %s", sim.State, sim.Error)
	}
	// The other replica resolves under version 2 from its commit on: a
	// second anonymous id joins u5, which version 1 refused.
	other("r2", "u5", "x2")
	if p, err := replica.Profile(ctx, f.space.ID, ident("anonymous_id:x2")); err != nil || len(p.Identifiers) != 3 {
		t.Errorf("the other replica's event after the promotion: profile %+v, %v; want x2 with u5 and x1", p.Identifiers, err)
	}
	_, err := f.box.Promote(ctx, f.space, second.ID, "tester")
	var e *idgraph.Error
	if !errors.As(err, &e) || e.Code != idgraph.ECONFLICT {
		t.Fatalf("promoting a simulation of version 1 after version 2: %v, want ECONFLICT", err)
	}
	if _, err := f.box.Promote(ctx, f.space, first.ID, "tester"); idgraph.ErrorCode(err) != idgraph.ECONFLICT {
		t.Errorf("promoting a promoted simulation again: %v, want ECONFLICT", err)
	}
}
