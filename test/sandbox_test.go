package test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/bench"
)

// TestRuleSandboxOverHTTP loads the benchmark's noisy workload, simulates a
// tighter anonymous_id limit, reads the difference, promotes it, and runs
// the real 'idgraph check' on the space afterwards.
func TestRuleSandboxOverHTTP(t *testing.T) {
	a := startAPI(t)
	var events bytes.Buffer
	noise, err := bench.ParseNoise("all")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bench.Generate(bench.Workload{Events: 3000, Seed: 11, Noise: noise}, &events, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(&events)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) == 200 {
			a.send(lines...)
			lines = lines[:0]
		}
	}
	if len(lines) > 0 {
		a.send(lines...)
	}
	base := "/v1/spaces/" + a.space

	code, body := a.do(http.MethodPost, base+"/simulations", a.token,
		[]byte(`{"rules": {"identifiers": [{"type": "anonymous_id", "limit": 1}]}, "reason": "one browser per person"}`))
	if code != http.StatusAccepted {
		t.Fatalf("POST simulations: %d %s", code, body)
	}
	var sim idgraph.Simulation
	if err := json.Unmarshal(body, &sim); err != nil {
		t.Fatal(err)
	}
	poll := func(state idgraph.SimulationStatus) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Minute)
		for sim.State == state {
			if time.Now().After(deadline) {
				t.Fatalf("simulation still %s: %+v", state, sim.Progress)
			}
			time.Sleep(50 * time.Millisecond)
			code, body := a.do(http.MethodGet, base+"/simulations/"+sim.ID, a.token, nil)
			if code != http.StatusOK {
				t.Fatalf("GET simulation: %d %s", code, body)
			}
			if err := json.Unmarshal(body, &sim); err != nil {
				t.Fatal(err)
			}
		}
	}
	poll(idgraph.SimulationRunning)
	d := sim.Difference
	if sim.State != idgraph.SimulationDone || d == nil {
		t.Fatalf("simulation ended %s: %s", sim.State, sim.Error)
	}
	// A tighter limit refuses more links and breaks profiles apart.
	if d.Events < 2500 {
		t.Errorf("events replayed = %d, want the workload's stored events (about 3000 less replays)", d.Events)
	}
	if before, after := d.RefusalsBefore["limit:anonymous_id"], d.RefusalsAfter["limit:anonymous_id"]; after <= before {
		t.Errorf("limit:anonymous_id refusals before/after = %d/%d, want more after", before, after)
	}
	if d.ProfilesAfter <= d.ProfilesBefore || d.MergesLost == 0 || d.IdentifiersMoved == 0 || len(d.Changed) == 0 {
		t.Errorf("difference: profiles %d→%d, merges lost %d, moved %d, changed %d; want more profiles, merges lost, moves and a sample",
			d.ProfilesBefore, d.ProfilesAfter, d.MergesLost, d.IdentifiersMoved, len(d.Changed))
	}
	// The candidate's profile of a moved identifier answers.
	moved := d.Moved[0].Identifier.String()
	if code, body := a.do(http.MethodGet, base+"/simulations/"+sim.ID+"/profiles/"+moved, a.token, nil); code != http.StatusOK {
		t.Errorf("simulated profile of %s: %d %s", moved, code, body)
	}

	code, body = a.do(http.MethodPost, base+"/simulations/"+sim.ID+"/promote", a.token, nil)
	if code != http.StatusAccepted {
		t.Fatalf("promote: %d %s", code, body)
	}
	if err := json.Unmarshal(body, &sim); err != nil {
		t.Fatal(err)
	}
	poll(idgraph.SimulationPromoting)
	if sim.State != idgraph.SimulationPromoted || sim.Version != 2 {
		t.Fatalf("promotion ended %s (version %d): %s", sim.State, sim.Version, sim.Error)
	}
	code, body = a.do(http.MethodGet, base+"/rules", a.token, nil)
	if code != http.StatusOK || !strings.Contains(string(body), `"active":{"version":2`) {
		t.Errorf("GET rules after promoting: %d %s", code, body)
	}

	cmd := exec.Command(binary, "check", "-space", a.space)
	cmd.Env = append(environ(t), a.proc.cmd.Env[len(a.proc.cmd.Env)-1])
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("idgraph check after promoting: %v\n%s%s", err, &stdout, &stderr)
	}
	if !strings.Contains(stdout.String(), " 0 violations") {
		t.Errorf("idgraph check: %s", &stdout)
	}
}
