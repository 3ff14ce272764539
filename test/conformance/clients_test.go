package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// delivery is what a client is asked to send: events to the idgraph at
// host, each with the write key of its source and the run id in front of
// its message id.
type delivery struct {
	host    string
	run     string
	keys    map[string]string // source id -> write key
	events  []storyEvent
	timeout time.Duration // the client's HTTP request timeout; 0 leaves the SDK's default
}

// sdk is a tracking client under test. send returns once the client has
// delivered every event, or an error when it gave any up; out is what the
// client logged, its answers other than 2xx among them.
type sdk struct {
	name      string
	installed string // a file the install step leaves; "" when nothing is installed
	send      func(ctx context.Context, d delivery) (out string, err error)
	encoding  string // how it POSTs: Content-Type, and Content-Encoding after a comma
	outages   []outage
}

// outage is one way a client meets Neo4j being down. While Neo4j is
// unreachable idgraph holds a request for about 30 s (the writer's timeout
// and the driver's retries) before it answers 503 with Retry-After, longer
// than the default HTTP timeout of Segment's libraries (10 s for Node and Go,
// 15 s for Python): with its defaults such a client times out and retries,
// and the request it gave up on may still commit once Neo4j is back, so the
// retry finds its events stored. With a longer timeout (where the SDK has
// one to set) the client gets the 503 itself.
type outage struct {
	name    string
	timeout time.Duration // the client's HTTP request timeout; 0 for the SDK's default
	sees503 bool          // the client gets idgraph's 503, and logs it
}

var (
	defaults = outage{"defaults", 0, false}
	patient  = outage{"timeout_60s", time.Minute, true}
)

var sdks = []sdk{
	{"segment-node", "node/node_modules/.idgraph-installed", script("node", "node", "segment.js"),
		"application/json", []outage{defaults, patient}},
	// Gzip on, its default; no timeout by default: it waits for the 503
	// and honours Retry-After.
	{"rudderstack-node", "node/node_modules/.idgraph-installed", script("node", "node", "rudderstack.js"),
		"application/x-www-form-urlencoded, gzip", []outage{{"defaults", 0, true}}},
	{"segment-python", "python/.venv/.idgraph-installed", script(filepath.Join(".venv", "bin", "python"), "python", "send.py"),
		"application/json", []outage{defaults, patient}},
	// Its timeout is fixed at 10 s: it never waits for idgraph's 503.
	{"segment-go", "", sendGo, "application/json", []outage{defaults}},
}

// requireInstalled fails t when the install step has not run.
func (c sdk) requireInstalled(t *testing.T) {
	t.Helper()
	if c.installed == "" {
		return
	}
	if _, err := os.Stat(c.installed); err != nil {
		t.Fatalf("%s is not installed (%v): run test/conformance/install, as scripts/test does", c.name, err)
	}
}

// script runs file with interpreter in dir: the script reads the host, the
// run id, the events file and the HTTP timeout (when set) from its
// environment, sends every event with its SDK, logs every answer other than
// 2xx, and exits 0 only when the SDK reports each one delivered.
func script(interpreter, dir, file string) func(context.Context, delivery) (string, error) {
	return func(ctx context.Context, d delivery) (string, error) {
		f, err := os.CreateTemp("", "idgraph-conformance-*.ndjson")
		if err != nil {
			return "", err
		}
		defer os.Remove(f.Name())
		enc := json.NewEncoder(f)
		for _, e := range d.events {
			line := map[string]any{"writeKey": d.keys[e.source]}
			for k, v := range e.msg {
				line[k] = v
			}
			if err := enc.Encode(line); err != nil {
				return "", err
			}
		}
		if err := f.Close(); err != nil {
			return "", err
		}
		cmd := exec.CommandContext(ctx, interpreter, file)
		cmd.Dir = dir
		// Nothing of the test's environment but PATH and HOME: no proxy
		// settings or runtime options reach the SDK.
		cmd.Env = []string{
			"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "PYTHONDONTWRITEBYTECODE=1",
			"IDGRAPH_HOST=" + d.host, "IDGRAPH_RUN_ID=" + d.run, "IDGRAPH_EVENTS=" + f.Name(),
		}
		if d.timeout > 0 {
			cmd.Env = append(cmd.Env, fmt.Sprintf("IDGRAPH_HTTP_TIMEOUT_MS=%d", d.timeout.Milliseconds()))
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return out.String(), fmt.Errorf("%s %s: %w", interpreter, file, err)
		}
		return out.String(), nil
	}
}
