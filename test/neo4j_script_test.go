package test

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// freePort returns a loopback port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestNeo4jScriptLifecycle runs scripts/neo4j from a copy of the repository
// layout (so its .neo4j/ is the test's own, sharing only the fetched jars)
// on free ports: start, status, env, auth, Browser (and the query pack's
// guide and style in it), start again, stop,
// status, reset and a bad subcommand.
func TestNeo4jScriptLifecycle(t *testing.T) {
	root := t.TempDir()
	script := filepath.Join(root, "scripts", "neo4j")
	src, err := os.ReadFile(filepath.Join("..", "scripts", "neo4j"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, src, 0o755); err != nil {
		t.Fatal(err)
	}
	// Reuse the jars the repository's own server was fetched with, if any.
	if libs, _ := filepath.Glob(filepath.Join("..", ".neo4j", "5.*", "lib")); len(libs) > 0 {
		lib, _ := filepath.Abs(libs[0])
		dst := filepath.Join(root, ".neo4j", filepath.Base(filepath.Dir(lib)), "lib")
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(lib, dst); err != nil {
			t.Fatal(err)
		}
	}
	bolt, httpPort := freePort(t), freePort(t)
	env := append(os.Environ(), "NEO4J_BOLT_PORT="+strconv.Itoa(bolt), "NEO4J_HTTP_PORT="+strconv.Itoa(httpPort))
	env = slicesWithout(env, "NEO4J_PASSWORD=", "NEO4J_URI=")
	var stderr strings.Builder // what the last command logged
	sh := func(args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(script, args...)
		cmd.Env = env
		stderr.Reset()
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode(), string(out)
		} else if err != nil {
			t.Fatalf("scripts/neo4j %s: %v", strings.Join(args, " "), err)
		}
		return 0, string(out)
	}
	t.Cleanup(func() { sh("stop") })

	uri := "bolt://127.0.0.1:" + strconv.Itoa(bolt)
	code, out := sh("start")
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), uri) {
		t.Fatalf("start: exit %d, printed %q, want the Bolt URI %s", code, out, uri)
	}
	startLog := out + stderr.String()
	if code, out := sh("status"); code != 0 || !strings.Contains(out, "running") {
		t.Errorf("status of a running server: exit %d, %q", code, out)
	}
	if _, out := sh("uri"); strings.TrimSpace(out) != uri {
		t.Errorf("uri: got %q, want %s", out, uri)
	}
	_, envOut := sh("env")
	pw, err := os.ReadFile(filepath.Join(root, ".neo4j", "password"))
	if err != nil {
		t.Fatalf("no generated password: %v", err)
	}
	password := strings.TrimSpace(string(pw))
	if strings.Contains(startLog, password) {
		t.Errorf("start printed the generated password; it belongs in the password file only")
	}
	for _, want := range []string{"export NEO4J_URI=" + uri, "NEO4J_USERNAME=neo4j", password} {
		if !strings.Contains(envOut, want) {
			t.Errorf("env: %q lacks %q", envOut, want)
		}
	}

	// Auth is on: the printed password opens it, another does not.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, tc := range []struct {
		password string
		ok       bool
	}{{password, true}, {password + "x", false}} {
		driver, err := neo4j.NewDriverWithContext(uri, neo4j.BasicAuth("neo4j", tc.password, ""))
		if err != nil {
			t.Fatal(err)
		}
		err = driver.VerifyConnectivity(ctx)
		driver.Close(ctx)
		if (err == nil) != tc.ok {
			t.Errorf("connect with the right password %v: err %v", tc.ok, err)
		}
	}
	resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(httpPort) + "/browser/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /browser/: %d, want 200", resp.StatusCode)
	}
	t.Run("BrowserGuide", func(t *testing.T) { checkBrowserGuide(t, httpPort, bolt, password) })

	start := time.Now()
	if code, out := sh("start"); code != 0 || strings.TrimSpace(out) != uri || time.Since(start) > 10*time.Second {
		t.Errorf("start on a running server: exit %d, %q in %s; want a quick no-op", code, out, time.Since(start))
	}
	if code, _ := sh("stop"); code != 0 {
		t.Errorf("stop: exit %d", code)
	}
	if code, _ := sh("status"); code == 0 {
		t.Error("status of a stopped server exits 0")
	}
	if code, _ := sh("reset"); code != 0 {
		t.Errorf("reset: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(root, ".neo4j", "data", "databases")); !os.IsNotExist(err) {
		t.Errorf("reset left the data: %v", err)
	}
	if code, _ := sh("frobnicate"); code != 2 {
		t.Errorf("unknown subcommand: exit %d, want 2", code)
	}
}

// slicesWithout drops the KEY=VALUE pairs whose key starts one of prefixes.
func slicesWithout(env []string, prefixes ...string) []string {
	var out []string
	for _, kv := range env {
		keep := true
		for _, p := range prefixes {
			if strings.HasPrefix(kv, p) {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}
