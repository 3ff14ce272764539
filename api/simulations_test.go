package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/graphtest"
	"github.com/idgraph/idgraph/sandbox"
)

// TestSimulationRoutes drives the rule sandbox over HTTP against Neo4j:
// the rules versions, a simulation's progress and difference, the
// candidate's profile and explanation, promotion, and every bad input.
func TestSimulationRoutes(t *testing.T) {
	doc := openapiDoc(t)
	ctx := context.Background()
	name := graphtest.Space(t)
	rules, err := idgraph.ParseRules([]byte(`identifiers: [{type: anonymous_id, limit: 1}]`))
	if err != nil {
		t.Fatal(err)
	}
	spaces, err := idgraph.NewSpaces(idgraph.Space{ID: name, Rules: rules,
		AccessTokens: []idgraph.AccessToken{
			{Name: "ops", Token: "tok_sim_admin", Scopes: []idgraph.Scope{idgraph.ScopeAdmin}},
			{Name: "support", Token: "tok_sim_read", Scopes: []idgraph.Scope{idgraph.ScopeRead}},
		},
		Sources: []idgraph.Source{{ID: "web", WriteKey: "wk_sim"}}})
	if err != nil {
		t.Fatal(err)
	}
	space, _ := spaces.Get(name)
	store := graph.NewStore(graphtest.Open(t))
	writer := ingest.NewWriter(store, ingest.WriterOptions{})
	t.Cleanup(writer.Close)
	box := sandbox.New(store, writer, sandbox.Options{})
	t.Cleanup(box.Close)
	t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for i, anon := range []string{"a1", "a2", "a3"} {
		e := idgraph.Event{Type: idgraph.EventIdentify, MessageID: "m" + anon, Timestamp: t0.Add(time.Duration(i) * time.Minute),
			ReceivedAt: t0, UserID: "u1", AnonymousID: anon}
		if _, err := writer.Write(ctx, space, space.Sources[0], []idgraph.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	server := api.New(api.Config{Spaces: spaces, Rules: store, Simulations: box})
	do := func(method, target, token, body string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.SetBasicAuth(token, "")
		rec := httptest.NewRecorder()
		server.Handler().ServeHTTP(rec, req)
		return rec
	}
	base := "/v1/spaces/" + name
	const simRoute = "/v1/spaces/{space}/simulations/{sim}"

	rec := do("GET", base+"/rules", "tok_sim_read", "")
	checkAnswer(t, doc, "GET", "/v1/spaces/{space}/rules", rec)
	var rr struct {
		Active struct {
			Version int
			Rules   idgraph.RulesDocument
		}
		Versions []struct{ Version int }
	}
	decode(t, rec, &rr)
	if rec.Code != 200 || rr.Active.Version != 1 || len(rr.Versions) != 1 {
		t.Fatalf("GET rules: %d %s", rec.Code, rec.Body)
	}

	bad := []struct {
		name, token, body string
		status            int
		fields            []string
	}{
		{"every problem named", "tok_sim_admin",
			`{"rules": {"max_merges": "many", "colour": 1, "identifiers": [{"type": "anonymous_id", "limit": -1, "window": "hourly"}]}}`,
			400, []string{"rules.max_merges", "rules.colour", "rules.identifiers[0].limit", "rules.identifiers[0].window"}},
		{"no rules", "tok_sim_admin", `{"reason": "why"}`, 400, []string{"rules"}},
		{"unknown field", "tok_sim_admin", `{"rules": {}, "why": 1}`, 400, []string{"why"}},
		{"read scope", "tok_sim_read", `{"rules": {}}`, 403, nil},
	}
	for _, tc := range bad {
		rec := do("POST", base+"/simulations", tc.token, tc.body)
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, rec.Code, tc.status, rec.Body)
			continue
		}
		for _, f := range tc.fields {
			if !strings.Contains(rec.Body.String(), `"field":"`+f+`"`) {
				t.Errorf("%s: answer does not name %s: %s", tc.name, f, rec.Body)
			}
		}
	}
	if rec := do("POST", "/v1/spaces/elsewhere/simulations", "tok_sim_admin", `{"rules": {}}`); rec.Code != 404 {
		t.Errorf("another space: %d, want 404", rec.Code)
	}
	if rec := do("GET", base+"/simulations/sim_nope", "tok_sim_read", ""); rec.Code != 404 {
		t.Errorf("unknown simulation: %d, want 404", rec.Code)
	}
	if rec := do("POST", base+"/simulations/sim_nope/promote", "tok_sim_admin", ""); rec.Code != 404 {
		t.Errorf("promote an unknown simulation: %d, want 404", rec.Code)
	}

	rec = do("POST", base+"/simulations", "tok_sim_admin", `{"rules": {"identifiers": [{"type": "anonymous_id", "limit": 5}]}, "reason": "three devices are fine"}`)
	checkAnswer(t, doc, "POST", "/v1/spaces/{space}/simulations", rec)
	var sim idgraph.Simulation
	decode(t, rec, &sim)
	if rec.Code != 202 || rec.Header().Get("Location") != base+"/simulations/"+sim.ID {
		t.Fatalf("POST simulations: %d Location %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	deadline := time.Now().Add(time.Minute)
	for sim.State == idgraph.SimulationRunning && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		rec = do("GET", base+"/simulations/"+sim.ID, "tok_sim_read", "")
		checkAnswer(t, doc, "GET", simRoute, rec)
		decode(t, rec, &sim)
	}
	if sim.State != idgraph.SimulationDone || sim.Difference == nil || sim.Difference.MergesGained != 2 {
		t.Fatalf("simulation: %s", rec.Body)
	}

	rec = do("GET", base+"/simulations/"+sim.ID+"/profiles/anonymous_id:a3", "tok_sim_read", "")
	checkAnswer(t, doc, "GET", simRoute+"/profiles/{id}", rec)
	var p idgraph.Profile
	decode(t, rec, &p)
	if rec.Code != 200 || len(p.Identifiers) != 4 {
		t.Errorf("simulated profile: %d %s", rec.Code, rec.Body)
	}
	rec = do("GET", base+"/simulations/"+sim.ID+"/profiles/anonymous_id:a3/explain?to=anonymous_id:a1", "tok_sim_read", "")
	checkAnswer(t, doc, "GET", simRoute+"/profiles/{id}/explain", rec)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"together":true`) {
		t.Errorf("simulated explain: %d %s", rec.Code, rec.Body)
	}
	if rec := do("GET", base+"/simulations/"+sim.ID+"/profiles/anonymous_id:a3/explain", "tok_sim_read", ""); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"to"`) {
		t.Errorf("explain without to: %d %s", rec.Code, rec.Body)
	}

	if rec := do("POST", base+"/simulations/"+sim.ID+"/promote", "tok_sim_read", ""); rec.Code != 403 {
		t.Errorf("promote with the read scope: %d, want 403", rec.Code)
	}
	rec = do("POST", base+"/simulations/"+sim.ID+"/promote", "tok_sim_admin", "")
	checkAnswer(t, doc, "POST", simRoute+"/promote", rec)
	if rec.Code != 202 {
		t.Fatalf("promote: %d %s", rec.Code, rec.Body)
	}
	rec = do("POST", base+"/simulations/"+sim.ID+"/promote", "tok_sim_admin", "")
	checkAnswer(t, doc, "POST", simRoute+"/promote", rec)
	if rec.Code != 409 {
		t.Errorf("second promote: %d, want 409: %s", rec.Code, rec.Body)
	}
	for deadline := time.Now().Add(time.Minute); sim.State != idgraph.SimulationPromoted && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		decode(t, do("GET", base+"/simulations/"+sim.ID, "tok_sim_read", ""), &sim)
	}
	if sim.State != idgraph.SimulationPromoted {
		t.Fatalf("promotion: %+v", sim)
	}
	rec = do("GET", base+"/rules", "tok_sim_read", "")
	checkAnswer(t, doc, "GET", "/v1/spaces/{space}/rules", rec)
	decode(t, rec, &rr)
	if rr.Active.Version != 2 || len(rr.Versions) != 2 || !strings.Contains(rec.Body.String(), `"reason":"three devices are fine"`) {
		t.Errorf("rules after promoting: %s", rec.Body)
	}
}
