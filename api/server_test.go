package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
)

// checkerFunc adapts a function to idgraph.Checker.
type checkerFunc func(ctx context.Context) error

func (f checkerFunc) Ready(ctx context.Context) error { return f(ctx) }

var ready = checkerFunc(func(context.Context) error { return nil })

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// serve sends one request to a Server built from cfg.
func serve(t *testing.T, cfg api.Config, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, vs := range header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	api.New(cfg).Handler().ServeHTTP(rec, req)
	return rec
}

func TestRoutes(t *testing.T) {
	down := checkerFunc(func(context.Context) error {
		return idgraph.Errorf(idgraph.EUNAVAILABLE, "neo4j unreachable: connection refused")
	})
	broken := checkerFunc(func(context.Context) error { return idgraph.Errorf(idgraph.EINTERNAL, "bad") })
	tests := []struct {
		name       string
		checker    idgraph.Checker
		method     string
		target     string
		wantStatus int
		wantBody   string // exact JSON, when set
		wantCode   string // error code, when an error
		wantInMsg  string
		wantHeader map[string]string
	}{
		{name: "healthz", checker: down, method: "GET", target: "/healthz",
			wantStatus: 200, wantBody: `{"status":"ok"}`},
		{name: "readyz when ready", checker: ready, method: "GET", target: "/readyz",
			wantStatus: 200, wantBody: `{"status":"ready"}`},
		{name: "readyz when down", checker: down, method: "GET", target: "/readyz",
			wantStatus: 503, wantCode: "unavailable", wantInMsg: "neo4j unreachable: connection refused",
			wantHeader: map[string]string{"Retry-After": "5"}},
		{name: "readyz when the check fails otherwise", checker: broken, method: "GET", target: "/readyz",
			wantStatus: 503, wantCode: "unavailable", wantInMsg: "not ready"},
		{name: "readyz without a checker", checker: nil, method: "GET", target: "/readyz",
			wantStatus: 503, wantCode: "unavailable", wantInMsg: "no readiness check"},
		{name: "unknown route", checker: ready, method: "GET", target: "/nope",
			wantStatus: 404, wantCode: "not_found", wantInMsg: "/nope"},
		{name: "wrong method", checker: ready, method: "POST", target: "/healthz",
			wantStatus: 405, wantCode: "invalid_request_error", wantInMsg: "POST",
			wantHeader: map[string]string{"Allow": "GET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, api.Config{Checker: tt.checker}, tt.method, tt.target, nil)
			if rec.Code != tt.wantStatus {
				t.Errorf("%s %s: status %d, want %d (body %s)", tt.method, tt.target, rec.Code, tt.wantStatus, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			if rec.Header().Get(api.RequestIDHeader) == "" {
				t.Errorf("no %s header on the response", api.RequestIDHeader)
			}
			for k, want := range tt.wantHeader {
				if got := rec.Header().Get(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if tt.wantBody != "" {
				if got := strings.TrimSpace(rec.Body.String()); got != tt.wantBody {
					t.Errorf("body = %s, want %s", got, tt.wantBody)
				}
			}
			if tt.wantCode != "" {
				var body errorBody
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
					t.Fatalf("body %q is not the error JSON: %v", rec.Body, err)
				}
				if body.Error.Code != tt.wantCode {
					t.Errorf("error.code = %q, want %q", body.Error.Code, tt.wantCode)
				}
				if !strings.Contains(body.Error.Message, tt.wantInMsg) {
					t.Errorf("error.message = %q, want it to contain %q", body.Error.Message, tt.wantInMsg)
				}
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	generated := regexp.MustCompile(`^[0-9a-f]{32}$`)
	tests := []struct {
		name   string
		header http.Header
		want   string // "" means a generated id
	}{
		{name: "none sent", header: nil},
		{name: "Request-Id kept", header: http.Header{"Request-Id": {"abc-123"}}, want: "abc-123"},
		{name: "X-Request-Id kept", header: http.Header{"X-Request-Id": {"req_42"}}, want: "req_42"},
		{name: "Request-Id wins", header: http.Header{"Request-Id": {"one"}, "X-Request-Id": {"two"}}, want: "one"},
		{name: "insane replaced", header: http.Header{"Request-Id": {"<script>alert(1)</script>"}}},
		{name: "too long replaced", header: http.Header{"Request-Id": {strings.Repeat("a", 129)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, api.Config{Checker: ready}, "GET", "/healthz", tt.header)
			got := rec.Header().Get(api.RequestIDHeader)
			switch {
			case tt.want != "" && got != tt.want:
				t.Errorf("Request-Id = %q, want %q", got, tt.want)
			case tt.want == "" && !generated.MatchString(got):
				t.Errorf("Request-Id = %q, want a generated 32-hex-digit id", got)
			}
		})
	}
}

func TestRequestIDsDiffer(t *testing.T) {
	h := api.New(api.Config{Checker: ready}).Handler()
	seen := map[string]bool{}
	for range 10 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		id := rec.Header().Get(api.RequestIDHeader)
		if seen[id] {
			t.Fatalf("request id %q given twice", id)
		}
		seen[id] = true
	}
}
