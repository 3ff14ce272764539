package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph/internal/cli"
	"github.com/idgraph/idgraph/internal/config"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// testEnv returns the environment that points idgraph at the test database.
func testEnv(t *testing.T) map[string]string {
	t.Helper()
	g := graphtest.Config(t)
	return map[string]string{
		"NEO4J_URI":      g.URI,
		"NEO4J_USERNAME": g.Username,
		"NEO4J_PASSWORD": g.Password,
		"NEO4J_DATABASE": g.Database,
		"IDGRAPH_ADDR":   "127.0.0.1:0",
	}
}

// runMain runs the service on the test database with env added to its
// environment, closed when the test ends (twice is harmless), its log shown
// when the test failed; it returns the log too.
func runMain(t *testing.T, env map[string]string) (*Main, *syncBuffer) {
	t.Helper()
	e := testEnv(t)
	maps.Copy(e, env)
	cfg, err := config.Load(e)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	m := NewMain(cfg, cfg.NewLogger(logs))
	t.Cleanup(func() {
		m.Close()
		if t.Failed() {
			t.Logf("log of idgraph serve:\n%s", logs)
		}
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return m, logs
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestMainServesOnAFreePort(t *testing.T) {
	cfg, err := config.Load(testEnv(t))
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	var logs syncBuffer
	m := NewMain(cfg, cfg.NewLogger(&logs))
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatalf("Run: %v", err)
	}
	addr := m.Addr()
	if addr == "" || strings.HasSuffix(addr, ":0") {
		t.Fatalf("Addr() = %q, want the bound address with its real port", addr)
	}

	for _, tt := range []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/healthz", 200, `{"status":"ok"}`},
		{"/readyz", 200, `{"status":"ready"}`},
		{"/nope", 404, `{"error":{"code":"not_found","message":"no route for GET /nope"}}`},
	} {
		resp, err := http.Get("http://" + addr + tt.path)
		if err != nil {
			t.Fatalf("GET %s: %v", tt.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus || strings.TrimSpace(string(body)) != tt.wantBody {
			t.Errorf("GET %s = %d %s, want %d %s", tt.path, resp.StatusCode, body, tt.wantStatus, tt.wantBody)
		}
		if resp.Header.Get("Request-Id") == "" {
			t.Errorf("GET %s: no Request-Id header", tt.path)
		}
	}

	if err := m.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := (&http.Client{Timeout: time.Second}).Get("http://" + addr + "/healthz"); err == nil {
		t.Errorf("the server still answers after Close")
	}
	if cfg.Neo4jPassword != "" && strings.Contains(logs.String(), cfg.Neo4jPassword) {
		t.Errorf("the log shows the Neo4j password")
	}
}

func TestMigrateCommand(t *testing.T) {
	graphtest.Open(t) // the schema is applied
	var env []string
	for k, v := range testEnv(t) {
		env = append(env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	err := program.Run(context.Background(), []string{"migrate"}, env, &stdout, &stderr)
	if code := cli.ExitCode("idgraph", err, &stderr); code != 0 {
		t.Fatalf("migrate exit code = %d, want 0 (stderr %s)", code, &stderr)
	}
	if got, want := stdout.String(), "schema up to date\n"; got != want {
		t.Errorf("migrate printed %q, want %q", got, want)
	}
}

func TestServeFailsWhenNeo4jIsUnreachable(t *testing.T) {
	var stdout, stderr bytes.Buffer
	env := []string{"NEO4J_URI=bolt://127.0.0.1:1", "NEO4J_PASSWORD=pw-not-to-show", "IDGRAPH_ADDR=127.0.0.1:0"}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := program.Run(ctx, []string{"serve"}, env, &stdout, &stderr)
	if code := cli.ExitCode("idgraph", err, &stderr); code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "neo4j unreachable") {
		t.Errorf("stderr = %s, want it to say neo4j is unreachable", &stderr)
	}
	if strings.Contains(stderr.String(), "pw-not-to-show") {
		t.Errorf("stderr shows the password: %s", &stderr)
	}
}
