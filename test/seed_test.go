package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph/internal/graphtest"
)

// api is a running idgraph with one space of its own (two sources, SegKicks
// and SegRuns, and an access token) and a second space to test isolation.
type api struct {
	t                        *testing.T
	base                     string
	space, other             string
	kicksKey, runsKey, token string
	otherToken               string
	client                   *http.Client
	proc                     *process
}

func startAPI(t *testing.T) *api {
	t.Helper()
	return startAPIAt(t, "")
}

// startAPIAt is startAPI with Neo4j at uri ("" for the test database).
func startAPIAt(t *testing.T, uri string) *api {
	t.Helper()
	return startAPIWith(t, uri, "")
}

// startAPIWith is startAPIAt with rules, YAML lines of the test space's
// mapping (indented by four spaces), added to its configuration.
func startAPIWith(t *testing.T, uri, rules string) *api {
	t.Helper()
	a := &api{t: t, space: graphtest.Space(t), other: graphtest.Space(t), client: &http.Client{Timeout: 30 * time.Second}}
	a.kicksKey, a.runsKey = "wk_kicks_"+a.space, "wk_runs_"+a.space
	a.token, a.otherToken = "tok_"+a.space, "tok_"+a.other
	cfg := fmt.Sprintf(`spaces:
  - id: %s
    access_tokens: [%s]
    sources:
      - {id: segkicks, name: "Mobile (segkicks)", write_key: %s}
      - {id: segruns, name: "Mobile (segruns)", write_key: %s}
%s  - id: %s
    access_tokens: [%s]
    sources:
      - {id: web, name: "Web", write_key: wk_web_%s}
`, a.space, a.token, a.kicksKey, a.runsKey, rules, a.other, a.otherToken, a.other)
	path := filepath.Join(t.TempDir(), "idgraph.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"IDGRAPH_CONFIG=" + path}
	if uri != "" {
		env = append(env, "NEO4J_URI="+uri)
	}
	p := startEnv(t, env, "serve")
	a.proc = p
	a.base = "http://" + p.addr(t)
	waitReady(t, a.base)
	return a
}

// do sends a request with key as HTTP Basic username (none when empty) and
// returns the status and body.
func (a *api) do(method, path, key string, body []byte) (int, []byte) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if key != "" {
		req.SetBasicAuth(key, "")
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Request-Id") == "" {
		a.t.Errorf("%s %s: no Request-Id header", method, path)
	}
	return resp.StatusCode, out
}

// get fetches a Profile API route of the test's space and decodes it.
func (a *api) get(id, route string, into any) {
	a.t.Helper()
	path := "/v1/spaces/" + a.space + "/collections/users/profiles/" + url.PathEscape(id) + "/" + route
	code, body := a.do(http.MethodGet, path, a.token, nil)
	if code != http.StatusOK {
		a.t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal(body, into); err != nil {
		a.t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

func seedLines(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "seed", file))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// sendSeed sends the seed story: SegKicks's events as batches with Basic
// auth, SegRuns's one by one with the write key in the body.
func (a *api) sendSeed() (messageIDs []string) {
	a.t.Helper()
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		var kicks []string
		for _, l := range seedLines(a.t, f) {
			var ev map[string]any
			if err := json.Unmarshal([]byte(l), &ev); err != nil {
				a.t.Fatal(err)
			}
			messageIDs = append(messageIDs, ev["messageId"].(string))
			if !strings.Contains(l, `"SegRuns"`) {
				kicks = append(kicks, l)
				continue
			}
			ev["writeKey"] = a.runsKey
			body, _ := json.Marshal(ev)
			if code, out := a.do(http.MethodPost, "/v1/"+ev["type"].(string), "", body); code != http.StatusOK {
				a.t.Fatalf("POST /v1/%s: %d %s", ev["type"], code, out)
			}
		}
		if len(kicks) > 0 {
			body := []byte(`{"batch":[` + strings.Join(kicks, ",") + `],"context":{"library":{"name":"analytics-go"}}}`)
			code, out := a.do(http.MethodPost, "/v1/batch", a.kicksKey, body)
			if code != http.StatusOK || !strings.Contains(string(out), `"success":true`) {
				a.t.Fatalf("POST /v1/batch: %d %s", code, out)
			}
		}
	}
	return messageIDs
}

var jane = []string{
	"android.id:and_1a2b3c4d", "anonymous_id:anon_123", "anonymous_id:anon_456", "anonymous_id:anon_789",
	"email:jane.doe@gmail.com", "ios.id:ios_abc123", "user_id:abc123def",
}

func TestSeedStoryOverHTTP(t *testing.T) {
	a := startAPI(t)
	story := a.sendSeed()

	// external_ids: every one of Jane's identifiers, with its first source.
	var ext struct {
		Data []struct {
			ID, Type, SourceID, SourceName, Collection, Encoding, FirstMessageID string
			CreatedAt                                                            time.Time
		}
		Cursor struct {
			URL     string
			HasMore bool `json:"has_more"`
		}
	}
	raw := map[string]any{}
	a.get("anonymous_id:anon_123", "external_ids?limit=100", &raw)
	b, _ := json.Marshal(raw)
	// Decode with the snake_case names the API uses.
	b = bytes.NewBufferString(strings.NewReplacer(`"source_id"`, `"SourceID"`, `"source_name"`, `"SourceName"`,
		`"first_message_id"`, `"FirstMessageID"`, `"created_at"`, `"CreatedAt"`).Replace(string(b))).Bytes()
	if err := json.Unmarshal(b, &ext); err != nil {
		t.Fatal(err)
	}
	var got []string
	firstSource := map[string]string{}
	for _, x := range ext.Data {
		id := x.Type + ":" + x.ID
		got = append(got, id)
		firstSource[id] = x.SourceID + "/" + x.SourceName + "/" + x.CreatedAt.UTC().Format(time.RFC3339)
		if x.Collection != "users" || x.Encoding != "none" || !slices.Contains(story, x.FirstMessageID) {
			t.Errorf("external id %s: collection %q, encoding %q, first message %q", id, x.Collection, x.Encoding, x.FirstMessageID)
		}
	}
	sort.Strings(got)
	if !slices.Equal(got, jane) {
		t.Errorf("external_ids:\n got %v\nwant %v", got, jane)
	}
	wantFirst := map[string]string{
		"anonymous_id:anon_123":   "segkicks/Mobile (segkicks)/2019-11-15T09:00:00Z",
		"user_id:abc123def":       "segkicks/Mobile (segkicks)/2019-11-15T09:20:00Z",
		"android.id:and_1a2b3c4d": "segkicks/Mobile (segkicks)/2019-11-16T08:00:00Z",
		"anonymous_id:anon_789":   "segruns/Mobile (segruns)/2019-11-16T18:30:00Z",
	}
	for id, want := range wantFirst {
		if firstSource[id] != want {
			t.Errorf("%s first seen: got %s, want %s", id, firstSource[id], want)
		}
	}
	if ext.Cursor.HasMore || ext.Cursor.URL == "" {
		t.Errorf("cursor: got %+v, want has_more false and the request's url", ext.Cursor)
	}

	// Any of Jane's identifiers leads to the same profile.
	var meta struct {
		Metadata struct {
			ProfileID   string `json:"profile_id"`
			Identifiers int    `json:"identifier_count"`
			MergeCount  int    `json:"merge_count"`
		}
	}
	a.get("android.id:and_1a2b3c4d", "metadata", &meta)
	profile := meta.Metadata.ProfileID
	for _, id := range jane {
		a.get(id, "metadata", &meta)
		if meta.Metadata.ProfileID != profile || meta.Metadata.Identifiers != 7 {
			t.Errorf("metadata of %s: got %+v, want profile %s with 7 identifiers", id, meta.Metadata, profile)
		}
	}

	// traits: newest value per key, from the checkout identify.
	var traits struct{ Traits map[string]any }
	a.get("email:jane.doe@gmail.com", "traits", &traits)
	if traits.Traits["name"] != "Jane Doe" || traits.Traits["email"] != "jane.doe@gmail.com" {
		t.Errorf("traits: got %v", traits.Traits)
	}

	// events: all nine, newest first.
	var events struct {
		Data []struct {
			MessageID string    `json:"message_id"`
			Timestamp time.Time `json:"timestamp"`
		}
	}
	a.get("user_id:abc123def", "events?limit=100", &events)
	if len(events.Data) != len(story) {
		t.Errorf("events: got %d, want %d", len(events.Data), len(story))
	}
	for i := 1; i < len(events.Data); i++ {
		if events.Data[i].Timestamp.After(events.Data[i-1].Timestamp) {
			t.Errorf("events not newest first at %d: %v after %v", i, events.Data[i].Timestamp, events.Data[i-1].Timestamp)
		}
	}

	// explain: a chain from anon_123 to the Android device, every hop
	// citing a real event of the story.
	var ex struct {
		Together bool
		Path     []struct {
			From, To   struct{ Type, Value string }
			Count      int
			FirstEvent struct {
				MessageID string `json:"message_id"`
				SourceID  string `json:"source_id"`
			} `json:"first_event"`
			LastEvent struct {
				MessageID string `json:"message_id"`
			} `json:"last_event"`
		}
	}
	a.get("anonymous_id:anon_123", "explain?to="+url.QueryEscape("android.id:and_1a2b3c4d"), &ex)
	if !ex.Together || len(ex.Path) < 2 {
		t.Fatalf("explain: got %+v, want a chain of at least two hops", ex)
	}
	if from := ex.Path[0].From; from.Type+":"+from.Value != "anonymous_id:anon_123" {
		t.Errorf("explain starts at %v, want anonymous_id:anon_123", from)
	}
	if to := ex.Path[len(ex.Path)-1].To; to.Type+":"+to.Value != "android.id:and_1a2b3c4d" {
		t.Errorf("explain ends at %v, want android.id:and_1a2b3c4d", to)
	}
	for i, hop := range ex.Path {
		if hop.Count < 1 || !slices.Contains(story, hop.FirstEvent.MessageID) || !slices.Contains(story, hop.LastEvent.MessageID) {
			t.Errorf("hop %d cites no real event: %+v", i, hop)
		}
		if i > 0 && ex.Path[i-1].To != hop.From {
			t.Errorf("hop %d does not continue the chain: %+v then %+v", i, ex.Path[i-1], hop)
		}
	}

	// history and graph.
	var hist struct {
		Data []struct{ Kind string }
	}
	a.get("user_id:abc123def", "history?limit=100", &hist)
	kinds := map[string]int{}
	for _, h := range hist.Data {
		kinds[h.Kind]++
	}
	if kinds["created"] != 1 || kinds["identifier_added"] < 6 {
		t.Errorf("history: got %v, want one created and an identifier_added per identifier", kinds)
	}
	var g struct {
		Nodes []struct{ ID string }
		Links []struct{ Source, Target string }
	}
	a.get("user_id:abc123def", "graph", &g)
	if len(g.Nodes) != 7 || len(g.Links) < 6 {
		t.Errorf("graph: got %d nodes and %d links, want 7 nodes and at least 6 links", len(g.Nodes), len(g.Links))
	}

	// /metrics shows the ingestion, the transactions and the requests.
	if code, _ := a.do(http.MethodGet, "/metrics", "", nil); code != http.StatusUnauthorized {
		t.Errorf("GET /metrics without a token: %d, want 401", code)
	}
	code, body := a.do(http.MethodGet, "/metrics", a.token, nil)
	if code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", code)
	}
	for _, want := range []string{
		`idgraph_events_total{outcome="loaded",source="segkicks",space="` + a.space + `"} 7`,
		`idgraph_neo4j_transaction_duration_seconds_count{op="resolve events",result="ok"}`,
		// Where the write transactions' time went: each statement, and the commit.
		`idgraph_neo4j_statement_duration_seconds_count{op="resolve events",query="lock_space"}`,
		`idgraph_neo4j_statement_duration_seconds_count{op="resolve events",query="find_rules_head"}`,
		`idgraph_neo4j_statement_duration_seconds_count{op="resolve events",query="write_events"}`,
		`idgraph_neo4j_commit_duration_seconds_count{op="resolve events"}`,
		`idgraph_http_requests_total{method="POST",route="/v1/batch",status="200"}`,
		`idgraph_http_request_duration_seconds_bucket{method="GET",route=`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(string(body), a.kicksKey) || strings.Contains(string(body), a.token) {
		t.Error("/metrics shows a key or token")
	}

	// Replaying the story changes nothing.
	a.sendSeed()
	a.get("user_id:abc123def", "events?limit=100", &events)
	if len(events.Data) != len(story) {
		t.Errorf("after replay, events: got %d, want %d", len(events.Data), len(story))
	}
}

func TestLimitExampleExplainedOverHTTP(t *testing.T) {
	a := startAPI(t)
	for _, body := range []string{
		`{"messageId":"l1","userId":"abc123","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"messageId":"l2","userId":"abc456","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-02T00:00:00Z"}`,
	} {
		if code, out := a.do(http.MethodPost, "/v1/identify", a.kicksKey, []byte(body)); code != http.StatusOK {
			t.Fatalf("POST /v1/identify: %d %s", code, out)
		}
	}
	var ex struct {
		Together   bool
		Rejections []struct {
			Rule  string
			Event struct {
				MessageID string `json:"message_id"`
			}
		}
	}
	a.get("user_id:abc123", "explain?to=user_id:abc456", &ex)
	if ex.Together || len(ex.Rejections) != 1 || ex.Rejections[0].Rule != "limit:user_id" || ex.Rejections[0].Event.MessageID != "l2" {
		t.Errorf("explain: got %+v, want apart, one rejection by limit:user_id on l2", ex)
	}
}

func TestAPIErrorsOverHTTP(t *testing.T) {
	a := startAPI(t)
	if code, out := a.do(http.MethodPost, "/v1/identify", a.kicksKey, []byte(`{"userId":"u1","messageId":"e1"}`)); code != http.StatusOK {
		t.Fatalf("setup: %d %s", code, out)
	}
	profile := "/v1/spaces/" + a.space + "/collections/users/profiles/user_id:u1/traits"
	tests := []struct {
		name, method, path, key, body string
		code                          int
		errCode                       string
	}{
		{"no write key", "POST", "/v1/track", "", `{"userId":"u","event":"E"}`, 401, "authentication_error"},
		{"wrong write key", "POST", "/v1/track", "nope", `{"userId":"u","event":"E"}`, 401, "authentication_error"},
		{"malformed JSON", "POST", "/v1/track", a.kicksKey, `{"userId":"u",`, 400, ""},
		{"invalid event", "POST", "/v1/track", a.kicksKey, `{"event":"E"}`, 400, "validation_error"},
		{"no token", "GET", profile, "", "", 401, "authentication_error"},
		{"wrong token", "GET", profile, "nope", "", 401, "authentication_error"},
		{"another space's token", "GET", profile, a.otherToken, "", 404, "not_found"},
		{"unknown profile", "GET", "/v1/spaces/" + a.space + "/collections/users/profiles/user_id:nobody/traits", a.token, "", 404, "not_found"},
		{"unknown route", "GET", "/v2/nothing", a.token, "", 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			code, out := a.do(tt.method, tt.path, tt.key, body)
			if code != tt.code || !strings.Contains(string(out), tt.errCode) || !strings.Contains(string(out), `"error"`) {
				t.Errorf("got %d %s, want %d with error code %q", code, out, tt.code, tt.errCode)
			}
		})
	}
}
