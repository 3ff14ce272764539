package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
)

// healthReports is a fake HealthService answering one report, or err.
type healthReports struct {
	report idgraph.HealthReport
	err    error
	asked  string // the space asked for
}

func (f *healthReports) Health(_ context.Context, space string) (idgraph.HealthReport, error) {
	f.asked = space
	r := f.report
	r.Space = space
	return r, f.err
}

// stormyReport has something in every list, a storm and a shared device.
func stormyReport() idgraph.HealthReport {
	storm := time.Date(2024, 5, 3, 12, 0, 0, 0, time.UTC)
	r := idgraph.HealthReport{
		GeneratedAt: time.Date(2024, 5, 6, 9, 0, 0, 0, time.UTC), TookMS: 42, Identifiers: 110,
		LargestProfiles: []idgraph.LargeProfile{{ProfileID: "prf_big", Identifiers: 11}, {ProfileID: "prf_jane", Identifiers: 6, MergeCount: 2}},
		Hubs:            []idgraph.Hub{{Identifier: idgraph.Identifier{Type: "android.id", Value: "kiosk"}, Links: 5, UserIDs: 3}},
		Shared: []idgraph.SharedIdentifier{{Identifier: idgraph.Identifier{Type: "android.id", Value: "kiosk"},
			Reason: "two users logged in behind it", Since: storm}},
		RefusalsByRule: []idgraph.RuleRefusals{{Rule: "limit:user_id", Day: "2024-05-04", Count: 2}},
	}
	r.SetSizes(map[int]int{1: 7, 2: 40, 6: 2, 11: 1})
	r.SetMerges([]idgraph.HourMerges{{Hour: storm.Add(-time.Hour), Merges: 1}, {Hour: storm, Merges: 12}})
	return r
}

func healthCall(t *testing.T, cfg api.Config, target, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	if token != "" {
		req.SetBasicAuth(token, "")
	}
	rec := httptest.NewRecorder()
	api.New(cfg).Handler().ServeHTTP(rec, req)
	return rec
}

func TestHealthReportRoute(t *testing.T) {
	doc := openapiDoc(t)
	const route = "/v1/spaces/{space}/health"
	f := &healthReports{report: stormyReport()}
	metrics := api.NewMetrics()
	cfg := api.Config{Spaces: testSpaces(t), Health: f, Metrics: metrics}

	rec := healthCall(t, cfg, "/v1/spaces/alpha/health", alphaReadToken)
	if rec.Code != 200 || f.asked != "alpha" {
		t.Fatalf("GET with a read token: status %d, space asked %q; want 200 for alpha (body %s)", rec.Code, f.asked, rec.Body)
	}
	checkAnswer(t, doc, "GET", route, rec)
	for _, want := range []string{
		`"space":"alpha","generated_at":"2024-05-06T09:00:00Z","took_ms":42,"profiles":50,"identifiers":110,"singletons":7,`,
		`{"min":1001,"max":0,"profiles":0}`,
		`"hubs":[{"identifier":{"type":"android.id","value":"kiosk"},"links":5,"user_ids":3}]`,
		`"refusals_by_rule":[{"rule":"limit:user_id","day":"2024-05-04","count":2}]`,
		`"merge_storm":{"detected":true,"hour":"2024-05-03T12:00:00Z","merges":12,"trailing_median":0}`,
	} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("body %s\nwant it to contain %s", rec.Body, want)
		}
	}

	// The gauges hold the figures of the report just computed.
	mrec := healthCall(t, cfg, "/metrics", alphaToken)
	for _, want := range []string{
		`idgraph_space_profiles{space="alpha"} 50`, `idgraph_space_identifiers{space="alpha"} 110`,
		`idgraph_space_singletons{space="alpha"} 7`, `idgraph_space_largest_profile{space="alpha"} 11`,
		`idgraph_space_merge_storm{space="alpha"} 1`,
	} {
		if !strings.Contains(mrec.Body.String(), want+"\n") {
			t.Errorf("/metrics does not show %s after the report", want)
		}
	}
	f.report = idgraph.HealthReport{}
	healthCall(t, cfg, "/v1/spaces/alpha/health", alphaToken)
	mrec = healthCall(t, cfg, "/metrics", alphaToken)
	for _, want := range []string{`idgraph_space_profiles{space="alpha"} 0`, `idgraph_space_merge_storm{space="alpha"} 0`} {
		if !strings.Contains(mrec.Body.String(), want+"\n") {
			t.Errorf("/metrics does not show %s after a quiet report", want)
		}
	}

	// An empty report answers its lists empty, never null.
	rec = healthCall(t, cfg, "/v1/spaces/alpha/health", alphaToken)
	checkAnswer(t, doc, "GET", route, rec)
	if want := `"largest_profiles":[],"hubs":[],"shared_identifiers":[],"refusals_by_rule":[],"merges_per_hour":[],`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("empty report %s\nwant %s", rec.Body, want)
	}
}

func TestHealthReportRouteRefuses(t *testing.T) {
	doc := openapiDoc(t)
	const route = "/v1/spaces/{space}/health"
	tests := []struct {
		name, target, token string
		service             idgraph.HealthService // nil: none configured
		wantStatus          int
	}{
		{"no token", "/v1/spaces/alpha/health", "", &healthReports{}, 401},
		{"another space's token", "/v1/spaces/alpha/health", betaToken, &healthReports{}, 404},
		{"an admin token implies read", "/v1/spaces/alpha/health", alphaAdminToken, &healthReports{}, 200},
		{"no service", "/v1/spaces/alpha/health", alphaToken, nil, 503},
		{"the store is down", "/v1/spaces/alpha/health", alphaToken,
			&healthReports{err: idgraph.Errorf(idgraph.EUNAVAILABLE, "neo4j unreachable")}, 503},
		{"the store fails", "/v1/spaces/alpha/health", alphaToken,
			&healthReports{err: idgraph.Errorf(idgraph.EINTERNAL, "boom")}, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := healthCall(t, api.Config{Spaces: testSpaces(t), Health: tt.service}, tt.target, tt.token)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d (body %s)", rec.Code, tt.wantStatus, rec.Body)
			}
			checkAnswer(t, doc, "GET", route, rec)
		})
	}
}
