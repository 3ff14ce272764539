package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// logLines decodes a buffer of JSON log lines.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

func newTestServer(t *testing.T) (*Server, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	s := New(Config{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	return s, &buf
}

func TestAccessLog(t *testing.T) {
	s, buf := newTestServer(t)
	req := httptest.NewRequest("GET", "/healthz?token=secret-token", nil)
	req.Header.Set("Authorization", "Basic c2VjcmV0LWtleTo=")
	req.Header.Set("Request-Id", "log-test-1")
	req.RemoteAddr = "192.0.2.7:1234"
	s.Handler().ServeHTTP(httptest.NewRecorder(), req)

	for _, secret := range []string{"c2VjcmV0LWtleTo", "secret-token", "Authorization"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("log contains %q: %s", secret, buf)
		}
	}
	lines := logLines(t, buf)
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1 access line: %s", len(lines), buf)
	}
	want := map[string]any{
		"msg": "request", "method": "GET", "route": "/healthz", "status": float64(200),
		"request_id": "log-test-1", "client_ip": "192.0.2.7",
	}
	for k, v := range want {
		if got := lines[0][k]; got != v {
			t.Errorf("access log %s = %v, want %v", k, got, v)
		}
	}
	if _, ok := lines[0]["latency_ms"]; !ok {
		t.Errorf("access log has no latency_ms: %v", lines[0])
	}
}

func TestAccessLogDoesNotLogRawPaths(t *testing.T) {
	s, buf := newTestServer(t)
	s.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/jane.doe@example.com", nil))
	if strings.Contains(buf.String(), "jane.doe") {
		t.Errorf("log holds the raw path of an unmatched request: %s", buf)
	}
}

func TestRecoveryAnswers500InTheErrorFormat(t *testing.T) {
	s, buf := newTestServer(t)
	s.engine.GET("/panic", func(*gin.Context) { panic("boom") })
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/panic", nil))

	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
	if got, want := strings.TrimSpace(rec.Body.String()), `{"error":{"code":"internal_error","message":"internal error"}}`; got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
	if rec.Header().Get(RequestIDHeader) == "" {
		t.Error("no Request-Id on the 500")
	}
	var errorLines int
	for _, l := range logLines(t, buf) {
		if l["level"] == "ERROR" {
			errorLines++
			if msg, _ := l["error"].(string); !strings.Contains(msg, "boom") {
				t.Errorf("error line does not name the panic: %v", l)
			}
			if l["request_id"] == nil {
				t.Errorf("error line has no request_id: %v", l)
			}
		}
	}
	if errorLines != 1 {
		t.Errorf("got %d error log lines, want the panic logged once:\n%s", errorLines, buf)
	}
}

func TestWriteError(t *testing.T) {
	var problems idgraph.Problems
	problems.Add("type", "is required")
	tests := []struct {
		err        error
		wantStatus int
		wantBody   string
		wantLogged bool
	}{
		{idgraph.Errorf(idgraph.EINVALID, "bad json"), 400,
			`{"error":{"code":"invalid_request_error","message":"bad json"}}`, false},
		{problems.Err(), 400,
			`{"error":{"code":"validation_error","message":"type: is required","problems":[{"field":"type","message":"is required"}]}}`, false},
		{idgraph.Errorf(idgraph.EUNAUTHORIZED, "bad token"), 401,
			`{"error":{"code":"authentication_error","message":"bad token"}}`, false},
		{idgraph.Errorf(idgraph.ENOTFOUND, "no profile"), 404,
			`{"error":{"code":"not_found","message":"no profile"}}`, false},
		{idgraph.Errorf(idgraph.ECONFLICT, "taken"), 409,
			`{"error":{"code":"conflict","message":"taken"}}`, false},
		{idgraph.Errorf(idgraph.EUNAVAILABLE, "down"), 503,
			`{"error":{"code":"unavailable","message":"down"}}`, false},
		{idgraph.WrapError(idgraph.EINTERNAL, errors.New("cypher syntax"), "merge"), 500,
			`{"error":{"code":"internal_error","message":"internal error"}}`, true},
		{errors.New("unknown origin"), 500,
			`{"error":{"code":"internal_error","message":"internal error"}}`, true},
	}
	for _, tt := range tests {
		t.Run(idgraph.ErrorCode(tt.err), func(t *testing.T) {
			s, buf := newTestServer(t)
			s.engine.GET("/fail", func(c *gin.Context) { s.writeError(c, tt.err) })
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/fail", nil))
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := strings.TrimSpace(rec.Body.String()); got != tt.wantBody {
				t.Errorf("body = %s, want %s", got, tt.wantBody)
			}
			if got, want := rec.Header().Get("Retry-After") != "", tt.wantStatus == 503; got != want {
				t.Errorf("Retry-After present = %v, want %v", got, want)
			}
			if got := strings.Contains(buf.String(), `"level":"ERROR"`); got != tt.wantLogged {
				t.Errorf("error logged = %v, want %v: %s", got, tt.wantLogged, buf)
			}
			if tt.wantLogged && strings.Count(buf.String(), `"level":"ERROR"`) != 1 {
				t.Errorf("internal error logged more than once: %s", buf)
			}
		})
	}
}
