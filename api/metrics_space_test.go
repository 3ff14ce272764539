package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
)

func TestMetricsShowATokenItsOwnSpaceAlone(t *testing.T) {
	sp, err := idgraph.NewSpaces(
		idgraph.Space{ID: "shop", AccessTokens: []idgraph.AccessToken{{Token: "tok_shop"}}, Rules: idgraph.DefaultRules(),
			Sources: []idgraph.Source{{ID: "segkicks", WriteKey: kicksKey}}},
		idgraph.Space{ID: "rival", AccessTokens: []idgraph.AccessToken{{Token: "tok_rival"}}, Rules: idgraph.DefaultRules(),
			Sources: []idgraph.Source{{ID: "secret_app", WriteKey: runsKey}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	h := ingestServer(t, newIngestStore(), sp, api.NewMetrics())
	for _, key := range []string{kicksKey, runsKey} {
		if rec := (ingestRequest{path: "/v1/track", basic: key, body: jsonOf(t, trackEvent("e1"))}).send(t, h); rec.Code != 200 {
			t.Fatalf("ingest: %d %s", rec.Code, rec.Body)
		}
	}
	scrape := func(token string) string {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.SetBasicAuth(token, "")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("GET /metrics as %s: %d", token, rec.Code)
		}
		return rec.Body.String()
	}
	for token, space := range map[string][2]string{"tok_shop": {"shop", "rival"}, "tok_rival": {"rival", "shop"}} {
		body := scrape(token)
		own, other := space[0], space[1]
		if !strings.Contains(body, `idgraph_events_total{outcome="loaded",`) || !strings.Contains(body, `space="`+own+`"`) {
			t.Errorf("%s sees no series of its own space %s", token, own)
		}
		if strings.Contains(body, `space="`+other+`"`) || strings.Contains(body, "secret_app") && own != "rival" {
			t.Errorf("%s sees the series of %s:\n%s", token, other, body)
		}
		if !strings.Contains(body, `idgraph_http_requests_total{method="POST",route="/v1/track",status="200"} 2`) {
			t.Errorf("%s does not see the process's requests by route", token)
		}
	}
}
