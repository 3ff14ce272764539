package test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/idgraph/idgraph/internal/graphtest"
)

// environ is the environment for the binary: the test database, a free
// loopback port, JSON logs. Nothing is inherited from the test process.
func environ(t *testing.T) []string {
	t.Helper()
	c := graphtest.Config(t)
	return []string{
		"NEO4J_URI=" + c.URI,
		"NEO4J_USERNAME=" + c.Username,
		"NEO4J_PASSWORD=" + c.Password,
		"NEO4J_DATABASE=" + c.Database,
		"IDGRAPH_ADDR=127.0.0.1:0",
		"LOG_FORMAT=json",
	}
}

// process is a running idgraph with its log collected.
type process struct {
	cmd       *exec.Cmd
	mu        sync.Mutex
	log       bytes.Buffer
	listening chan string // the address from the "listening" line
	exited    chan error
}

// start runs idgraph with args and collects its stderr, JSON log lines.
func start(t *testing.T, args ...string) *process {
	t.Helper()
	return startEnv(t, nil, args...)
}

// startEnv is start with extra KEY=VALUE pairs in the environment.
func startEnv(t *testing.T, extra []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(binary, args...), listening: make(chan string, 1), exited: make(chan error, 1)}
	p.cmd.Env = append(environ(t), extra...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", binary, err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill() })
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Bytes()
			p.mu.Lock()
			p.log.Write(line)
			p.log.WriteByte('\n')
			p.mu.Unlock()
			var entry struct{ Msg, Addr string }
			if json.Unmarshal(line, &entry) == nil && entry.Msg == "listening" {
				p.listening <- entry.Addr
			}
		}
	}()
	go func() {
		<-logDone
		p.exited <- p.cmd.Wait()
	}()
	return p
}

func (p *process) logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// addr waits for the "listening" log line and returns its address.
func (p *process) addr(t *testing.T) string {
	t.Helper()
	select {
	case addr := <-p.listening:
		return addr
	case err := <-p.exited:
		t.Fatalf("idgraph exited before listening (%v); log:\n%s", err, p.logs())
	case <-time.After(60 * time.Second):
		t.Fatalf("idgraph did not log \"listening\" within 60s; log:\n%s", p.logs())
	}
	return ""
}

// waitReady polls /readyz until it answers 200.
func waitReady(t *testing.T, base string) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = resp.Status + " " + string(body)
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("/readyz did not answer 200 within 60s; last answer: %s", last)
}

// terminate sends SIGTERM and fails t unless the process exits 0 within
// limit.
func (p *process) terminate(t *testing.T, limit time.Duration) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-p.exited:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Errorf("idgraph exited with %d after SIGTERM, want 0; log:\n%s", exit.ExitCode(), p.logs())
		} else if err != nil {
			t.Errorf("wait: %v", err)
		}
	case <-time.After(limit):
		t.Fatalf("idgraph did not exit within %s of SIGTERM; log:\n%s", limit, p.logs())
	}
}

func TestServeBecomesReadyAndStopsOnSIGTERM(t *testing.T) {
	p := start(t, "serve")
	base := "http://" + p.addr(t)
	waitReady(t, base)

	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", resp.StatusCode)
	}
	if resp.Header.Get("Request-Id") == "" {
		t.Error("GET /healthz: no Request-Id header")
	}

	p.terminate(t, 15*time.Second)

	logs := p.logs()
	for _, want := range []string{`"msg":"starting"`, `"msg":"listening"`, `"msg":"shutting down"`, `"msg":"stopped"`, `"route":"/readyz"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log does not contain %s:\n%s", want, logs)
		}
	}
	if pw := graphtest.Config(t).Password; pw != "" && strings.Contains(logs, pw) {
		t.Error("the log shows the Neo4j password")
	}
}

func TestMigrateAndVersionCommands(t *testing.T) {
	graphtest.Open(t) // the schema is applied
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"migrate"}, "schema up to date\n"},
		{[]string{"version"}, "idgraph e2e (" + runtime.Version() + ")\n"},
	}
	for _, tt := range tests {
		t.Run(tt.args[0], func(t *testing.T) {
			cmd := exec.Command(binary, tt.args...)
			cmd.Env = environ(t)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("idgraph %s: %v; stderr:\n%s", tt.args[0], err, &stderr)
			}
			if got := stdout.String(); got != tt.want {
				t.Errorf("idgraph %s printed %q, want %q", tt.args[0], got, tt.want)
			}
		})
	}
}

func TestUnknownSubcommandExits2(t *testing.T) {
	cmd := exec.Command(binary, "frobnicate")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("idgraph frobnicate: %v, want exit status 2", err)
	}
	if !strings.Contains(stderr.String(), "Usage:") {
		t.Errorf("stderr = %q, want the usage", &stderr)
	}
}
