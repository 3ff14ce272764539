package graphtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/idgraph/idgraph/graph"
)

// containerPassword is the password of the throwaway container's neo4j user.
const containerPassword = "idgraph-test-password"

// dockerAnswers reports whether a Docker engine answers within timeout, and
// if not, why. It never hangs: the probe runs aside and is abandoned at the
// deadline.
func dockerAnswers(timeout time.Duration) (ok bool, why string) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("docker provider panicked: %v", r)
			}
		}()
		provider, err := testcontainers.ProviderDefault.GetProvider()
		if err != nil {
			done <- err
			return
		}
		done <- provider.Health(ctx)
	}()
	select {
	case err := <-done:
		if err != nil {
			return false, err.Error()
		}
		return true, ""
	case <-ctx.Done():
		return false, "no answer within " + timeout.String()
	}
}

// startContainer starts neo4j:5.26 with a generic container request. The
// container lives until the test process ends (testcontainers' reaper
// removes it).
func startContainer() (graph.Config, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := testcontainers.GenericContainer(ctx, testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			Image:        "neo4j:5.26",
			ExposedPorts: []string{"7687/tcp"},
			Env:          map[string]string{"NEO4J_AUTH": "neo4j/" + containerPassword},
			WaitingFor: wait.ForAll(
				wait.ForListeningPort("7687/tcp"),
				wait.ForLog("Started."),
			).WithDeadline(4 * time.Minute),
		},
		Started: true,
	})
	if err != nil {
		return graph.Config{}, err
	}
	uri, err := c.PortEndpoint(ctx, "7687/tcp", "bolt")
	if err != nil {
		return graph.Config{}, err
	}
	return graph.Config{URI: uri, Username: "neo4j", Password: containerPassword, Database: "neo4j"}, nil
}

// startLocal runs scripts/neo4j start (idempotent, safe to run from several
// test processes at once) and reads the connection from scripts/neo4j env.
func startLocal() (graph.Config, error) {
	root, err := repoRoot()
	if err != nil {
		return graph.Config{}, err
	}
	script := filepath.Join(root, "scripts", "neo4j")
	if _, err := os.Stat(script); err != nil {
		return graph.Config{}, fmt.Errorf("scripts/neo4j is missing: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	if out, err := run(ctx, root, script, "start"); err != nil {
		return graph.Config{}, fmt.Errorf("scripts/neo4j start failed: %w\n%s", err, out)
	}
	out, err := run(ctx, root, script, "env")
	if err != nil {
		return graph.Config{}, fmt.Errorf("scripts/neo4j env failed: %w\n%s", err, out)
	}
	vars := parseEnv(out)
	if vars["NEO4J_URI"] == "" {
		return graph.Config{}, fmt.Errorf("scripts/neo4j env printed no NEO4J_URI:\n%s", out)
	}
	return fromEnv(func(k string) string { return vars[k] }), nil
}

func run(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}

// repoRoot walks up from the working directory to the directory holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory, so no scripts/neo4j")
		}
		dir = parent
	}
}

// parseEnv reads shell assignments such as `export NEO4J_URI='bolt://...'`,
// one a line, as printed by scripts/neo4j env.
func parseEnv(s string) map[string]string {
	vars := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		vars[strings.TrimSpace(key)] = unquote(strings.TrimSpace(value))
	}
	return vars
}

// unquote undoes shell quoting of one word: 'single', "double", or bare
// with backslash escapes.
func unquote(v string) string {
	switch {
	case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
		return strings.ReplaceAll(v[1:len(v)-1], `'\''`, `'`)
	case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
		if u, err := strconv.Unquote(v); err == nil {
			return u
		}
		return v[1 : len(v)-1]
	}
	// A bare word, as printf %q writes it: backslashes escape characters.
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
