package test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestHealthReportOverHTTP checks that idgraph serve answers a space's
// health report from the graph and shows its key figures on /metrics.
func TestHealthReportOverHTTP(t *testing.T) {
	a := startAPI(t)
	a.sendSeed()

	code, body := a.do(http.MethodGet, "/v1/spaces/"+a.space+"/health", a.token, nil)
	if code != http.StatusOK {
		t.Fatalf("GET health: %d %s", code, body)
	}
	var r struct {
		Space       string `json:"space"`
		Profiles    int    `json:"profiles"`
		Identifiers int    `json:"identifiers"`
		Singletons  int    `json:"singletons"`
		Largest     []struct {
			Identifiers int `json:"identifiers"`
		} `json:"largest_profiles"`
		Merges []struct {
			Merges int `json:"merges"`
		} `json:"merges_per_hour"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("GET health: %v in %s", err, body)
	}
	// Jane Doe: one profile of seven identifiers, made without a merge.
	if r.Space != a.space || r.Profiles != 1 || r.Identifiers != 7 || r.Singletons != 0 ||
		len(r.Largest) != 1 || r.Largest[0].Identifiers != 7 || len(r.Merges) != 0 {
		t.Errorf("health report %s, want Jane's one profile of 7 identifiers and no merge", body)
	}

	_, metrics := a.do(http.MethodGet, "/metrics", a.token, nil)
	for _, want := range []string{
		`idgraph_space_profiles{space="` + a.space + `"} 1`,
		`idgraph_space_identifiers{space="` + a.space + `"} 7`,
		`idgraph_space_largest_profile{space="` + a.space + `"} 7`,
		`idgraph_space_merge_storm{space="` + a.space + `"} 0`,
	} {
		if !strings.Contains(string(metrics), want+"\n") {
			t.Errorf("/metrics does not show %s", want)
		}
	}

	if code, _ := a.do(http.MethodGet, "/v1/spaces/"+a.space+"/health", a.otherToken, nil); code != http.StatusNotFound {
		t.Errorf("GET health with the other space's token: %d, want 404", code)
	}
}
