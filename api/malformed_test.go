package api_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph/api"
)

// rawExchange sends request as written to a server on api.Listener and
// returns the answer.
func rawExchange(t *testing.T, request string) *http.Response {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api.New(api.Config{Checker: ready}).Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(api.Listener(ln)) }()
	t.Cleanup(func() { _ = srv.Close() })
	conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = res.Body.Close() })
	return res
}

func TestMalformedRequestsGetTheJSONError(t *testing.T) {
	tests := []struct {
		name    string
		request string
		status  int
	}{
		{"a bad escape in the path", "GET /v1/spaces/%zz/collections/users/profiles/user_id:a/traits HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"no Host header", "GET /healthz HTTP/1.1\r\n\r\n", 400},
		{"a malformed header", "GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := rawExchange(t, tt.request)
			var body struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			data, _ := io.ReadAll(res.Body)
			if err := json.Unmarshal(data, &body); err != nil || res.StatusCode != tt.status ||
				body.Error.Code != "invalid_request_error" || !strings.Contains(body.Error.Message, "malformed HTTP request") {
				t.Errorf("answer %d %q (%v), want %d with the JSON error", res.StatusCode, data, err, tt.status)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
		})
	}
	// A request it can parse is answered as ever.
	res := rawExchange(t, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(data), "ok") {
		t.Errorf("/healthz: %d %s, want 200", res.StatusCode, data)
	}
}
