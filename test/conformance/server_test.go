package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph/internal/graphtest"
)

// server is a running idgraph whose Neo4j connection goes through a proxy
// the test can cut, serving one space of its own with the seed story's two
// sources (SegKicks and SegRuns) and an access token. Clients send through
// wire; the test reads from base.
type server struct {
	t                        *testing.T
	base                     string
	wire                     *wire
	space                    string
	kicksKey, runsKey, token string
	neo4j                    *graphtest.Proxy
	client                   *http.Client

	mu  sync.Mutex
	log bytes.Buffer
}

// startServer starts idgraph serve, with env added to its environment, and
// waits until it is ready.
func startServer(t *testing.T, env ...string) *server {
	t.Helper()
	db := graphtest.Config(t)
	s := &server{t: t, space: graphtest.Space(t), neo4j: graphtest.NewProxy(t), client: &http.Client{Timeout: 30 * time.Second}}
	s.kicksKey, s.runsKey, s.token = "wk_kicks_"+s.space, "wk_runs_"+s.space, "tok_"+s.space
	cfg := fmt.Sprintf(`spaces:
  - id: %s
    access_tokens: [%s]
    sources:
      - {id: segkicks, name: "Mobile (segkicks)", write_key: %s}
      - {id: segruns, name: "Mobile (segruns)", write_key: %s}
`, s.space, s.token, s.kicksKey, s.runsKey)
	path := filepath.Join(t.TempDir(), "idgraph.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(binary, "serve")
	cmd.Env = []string{
		"NEO4J_URI=" + s.neo4j.URI(),
		"NEO4J_USERNAME=" + db.Username,
		"NEO4J_PASSWORD=" + db.Password,
		"NEO4J_DATABASE=" + db.Database,
		"IDGRAPH_ADDR=127.0.0.1:0",
		"IDGRAPH_CONFIG=" + path,
		"LOG_FORMAT=json",
	}
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", binary, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("idgraph log:\n%s", s.logs())
		}
	})
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.log.Write(sc.Bytes())
			s.log.WriteByte('\n')
			s.mu.Unlock()
			var entry struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &entry) == nil && entry.Msg == "listening" {
				listening <- entry.Addr
			}
		}
	}()
	select {
	case addr := <-listening:
		s.base = "http://" + addr
	case <-time.After(60 * time.Second):
		t.Fatalf("idgraph did not log \"listening\" within 60s; log:\n%s", s.logs())
	}
	s.waitReady()
	s.wire = newWire(t, s.base)
	return s
}

func (s *server) logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// waitReady polls /readyz until it answers 200.
func (s *server) waitReady() {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body, err := s.request(http.MethodGet, "/readyz", "")
		if err == nil && code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("/readyz did not answer 200 within 60s: %d %s %v", code, body, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// request sends a body-less request with key as HTTP Basic username.
func (s *server) request(method, path, key string) (int, []byte, error) {
	req, err := http.NewRequest(method, s.base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	if key != "" {
		req.SetBasicAuth(key, "")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// profile fetches a Profile API route of the space's profile that holds
// identifier id ("type:value") and decodes it into into.
func (s *server) profile(id, route string, into any) {
	s.t.Helper()
	path := "/v1/spaces/" + s.space + "/collections/users/profiles/" + url.PathEscape(id) + "/" + route
	code, body, err := s.request(http.MethodGet, path, s.token)
	if err != nil || code != http.StatusOK {
		s.t.Fatalf("GET %s: %d %s %v", path, code, body, err)
	}
	if err := json.Unmarshal(body, into); err != nil {
		s.t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

// metric sums the samples of a /metrics counter whose labels include every
// one of labels (`name="value"` pairs).
func (s *server) metric(name string, labels ...string) float64 {
	s.t.Helper()
	code, body, err := s.request(http.MethodGet, "/metrics", s.token)
	if err != nil || code != http.StatusOK {
		s.t.Fatalf("GET /metrics: %d %v", code, err)
	}
	var sum float64
	for line := range strings.Lines(string(body)) {
		series, value, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || !strings.HasPrefix(series, name+"{") {
			continue
		}
		matches := true
		for _, l := range labels {
			matches = matches && strings.Contains(series, l)
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil && matches {
			sum += v
		}
	}
	return sum
}
