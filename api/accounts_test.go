package api_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// accountsServer serves a space of the test's own from the real graph
// store: ingestion, profiles and accounts.
func accountsServer(t *testing.T) (http.Handler, string) {
	t.Helper()
	space := graphtest.Space(t)
	store := graph.NewStore(graphtest.Open(t))
	w := ingest.NewWriter(store, ingest.WriterOptions{})
	t.Cleanup(w.Close)
	h := api.New(api.Config{Spaces: ingestSpaces(t, space), Writer: w, Profiles: store, Accounts: store}).Handler()
	return h, space
}

// get sends GET target with the space's token ("" for none) and decodes
// the answer into v when it is 200, checking it against the OpenAPI
// document's route.
func get(t *testing.T, h http.Handler, doc map[string]any, route, target, token string, v any) int {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	if token != "" {
		req.SetBasicAuth(token, "")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	checkAnswer(t, doc, "GET", route, rec)
	if rec.Code == 200 {
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
	}
	return rec.Code
}

type linksAnswer struct {
	Data []struct {
		ToCollection string `json:"to_collection"`
		ProfileID    string `json:"profile_id"`
		ExternalIDs  []struct {
			ID, Type, Collection string
			SourceName           string `json:"source_name"`
			FirstMessageID       string `json:"first_message_id"`
		} `json:"external_ids"`
	} `json:"data"`
	Cursor struct {
		HasMore bool   `json:"has_more"`
		Next    string `json:"next"`
	} `json:"cursor"`
}

// TestAccountRoutes sends group calls over HTTP and reads the accounts
// collection back through Segment's routes: an account's traits, its
// users, and a user's accounts.
func TestAccountRoutes(t *testing.T) {
	doc := openapiDoc(t)
	h, space := accountsServer(t)
	tok := "tok_" + space
	for _, body := range []string{
		`{"messageId":"g1","anonymousId":"a1","groupId":"acme","traits":{"name":"Acme","plan":"free"},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"messageId":"g2","anonymousId":"a2","groupId":"acme","traits":{"plan":"pro"},"timestamp":"2020-01-01T01:00:00Z"}`,
		`{"messageId":"g3","userId":"u1","anonymousId":"a3","groupId":"acme","timestamp":"2020-01-01T02:00:00Z"}`,
		`{"messageId":"g4","userId":"u1","groupId":"globex","timestamp":"2020-01-01T03:00:00Z"}`,
	} {
		if rec := (ingestRequest{path: "/v1/group", body: []byte(body), basic: kicksKey}).send(t, h); rec.Code != 200 {
			t.Fatalf("POST /v1/group: %d %s", rec.Code, rec.Body)
		}
	}
	accounts := "/v1/spaces/" + space + "/collections/accounts/profiles/"
	users := "/v1/spaces/" + space + "/collections/users/profiles/"
	const (
		traitsRoute  = "/v1/spaces/{space}/collections/accounts/profiles/{id}/traits"
		membersRoute = "/v1/spaces/{space}/collections/accounts/profiles/{id}/links"
		userRoute    = "/v1/spaces/{space}/collections/users/profiles/{id}/links"
	)

	var traits struct {
		Traits map[string]any `json:"traits"`
	}
	if code := get(t, h, doc, traitsRoute, accounts+"group_id:acme/traits", tok, &traits); code != 200 {
		t.Fatalf("acme's traits: %d", code)
	}
	if got, want := traits.Traits, map[string]any{"name": "Acme", "plan": "pro"}; !maps.Equal(got, want) {
		t.Errorf("acme's traits %v, want %v", got, want)
	}
	var verbose struct {
		Traits map[string]struct {
			MessageID string `json:"message_id"`
		} `json:"traits"`
	}
	if code := get(t, h, doc, traitsRoute, accounts+"group_id:acme/traits?include=plan&verbose=true", tok, &verbose); code != 200 ||
		len(verbose.Traits) != 1 || verbose.Traits["plan"].MessageID != "g2" {
		t.Errorf("acme's plan, verbose: %d %+v, want plan from g2 alone", code, verbose.Traits)
	}

	// The account's users, two a page.
	var page1, page2 linksAnswer
	if code := get(t, h, doc, membersRoute, accounts+"group_id:acme/links?limit=2", tok, &page1); code != 200 || !page1.Cursor.HasMore {
		t.Fatalf("acme's links: %d %+v, want a first page of two with more", code, page1)
	}
	if code := get(t, h, doc, membersRoute, accounts+"group_id:acme/links?limit=2&next="+page1.Cursor.Next, tok, &page2); code != 200 || page2.Cursor.HasMore {
		t.Fatalf("acme's links, page 2: %d %+v, want the last", code, page2)
	}
	var people []string
	for _, d := range append(page1.Data, page2.Data...) {
		var ids []string
		for _, x := range d.ExternalIDs {
			ids = append(ids, x.Type+":"+x.ID)
		}
		if d.ToCollection != "users" || !strings.HasPrefix(d.ProfileID, "prf_") {
			t.Errorf("link %+v, want a user profile with its id", d)
		}
		people = append(people, strings.Join(ids, ","))
	}
	slices.Sort(people)
	if want := []string{"anonymous_id:a1", "anonymous_id:a2", "anonymous_id:a3,user_id:u1"}; !slices.Equal(people, want) {
		t.Errorf("acme's users %q, want %q", people, want)
	}

	// The user's accounts.
	var mine linksAnswer
	if code := get(t, h, doc, userRoute, users+"anonymous_id:a3/links", tok, &mine); code != 200 {
		t.Fatalf("u1's links: %d", code)
	}
	var got []string
	for _, d := range mine.Data {
		x := d.ExternalIDs[0]
		got = append(got, d.ToCollection+" "+x.Type+":"+x.ID+" "+x.Collection+" "+x.SourceName+" "+x.FirstMessageID)
	}
	if want := []string{"accounts group_id:acme accounts Mobile (segkicks) g3", "accounts group_id:globex accounts Mobile (segkicks) g4"}; !slices.Equal(got, want) {
		t.Errorf("u1's links %q, want %q", got, want)
	}

	var none any
	for _, tt := range []struct {
		route, target, token string
		want                 int
	}{
		{traitsRoute, accounts + "group_id:nope/traits", tok, 404},
		{membersRoute, accounts + "group_id:nope/links", tok, 404},
		{userRoute, users + "user_id:nobody/links", tok, 404},
		{traitsRoute, accounts + "user_id:u1/traits", tok, 400},
		{membersRoute, accounts + "group_id:acme/links?limit=0", tok, 400},
		{traitsRoute, accounts + "group_id:acme/traits?class=audiences", tok, 400},
		{membersRoute, accounts + "group_id:acme/links", "", 401},
		{traitsRoute, "/v1/spaces/other/collections/accounts/profiles/group_id:acme/traits", tok, 404},
	} {
		if code := get(t, h, doc, tt.route, tt.target, tt.token, &none); code != tt.want {
			t.Errorf("GET %s: %d, want %d", tt.target, code, tt.want)
		}
	}
}
