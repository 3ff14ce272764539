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
)

// delivery is what a client is asked to send: events to the idgraph at
// host, each with the write key of its source and the run id in front of
// its message id.
type delivery struct {
	host   string
	run    string
	keys   map[string]string // source id -> write key
	events []storyEvent
}

// sdk is a tracking client under test, on its default settings (HTTP
// timeout and retries included). send returns once the client has
// delivered every event, or an error when it gave any up; out is what the
// client logged, its answers other than 2xx among them.
type sdk struct {
	name      string
	installed string // a file the install step leaves; "" when nothing is installed
	send      func(ctx context.Context, d delivery) (out string, err error)
	encoding  string // how it POSTs: Content-Type, and Content-Encoding after a comma
}

var sdks = []sdk{
	// A 10 s request timeout, up to 10 retries with backoff.
	{"segment-node", "node/node_modules/.idgraph-installed", script("node", "node", "segment.js"),
		"application/json"},
	// Gzip on, its default; no request timeout; 3 retries that honour
	// Retry-After.
	{"rudderstack-node", "node/node_modules/.idgraph-installed", script("node", "node", "rudderstack.js"),
		"application/x-www-form-urlencoded, gzip"},
	// A 15 s request timeout; honours Retry-After.
	{"segment-python", "python/.venv/.idgraph-installed", script(filepath.Join(".venv", "bin", "python"), "python", "send.py"),
		"application/json"},
	// A 10 s request timeout, fixed; 10 attempts with backoff from 100 ms
	// to 10 s, which ignores Retry-After.
	{"segment-go", "", sendGo, "application/json"},
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
// run id and the events file from its environment, sends every event with its SDK, logs every answer other than
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
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return out.String(), fmt.Errorf("%s %s: %w", interpreter, file, err)
		}
		return out.String(), nil
	}
}
