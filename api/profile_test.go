package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

const (
	alphaToken      = "tok_alpha"       // plain: both scopes
	alphaReadToken  = "tok_alpha_read"  // "support", read only
	alphaAdminToken = "tok_alpha_admin" // "ops", admin only (which implies read)
	betaToken       = "tok_beta"
	usersPath       = "/v1/spaces/alpha/collections/users/profiles/"
)

// testSpaces are two spaces, each with its own tokens: alpha holds the fake
// store's one profile.
func testSpaces(t testing.TB) *idgraph.Spaces {
	t.Helper()
	sp, err := idgraph.NewSpaces(
		idgraph.Space{ID: "alpha", Rules: idgraph.DefaultRules(),
			AccessTokens: []idgraph.AccessToken{
				{Token: alphaToken},
				{Name: "support", Token: alphaReadToken, Scopes: []idgraph.Scope{idgraph.ScopeRead}},
				{Name: "ops", Token: alphaAdminToken, Scopes: []idgraph.Scope{idgraph.ScopeAdmin}},
			},
			Sources: []idgraph.Source{{ID: "segkicks", Name: "Mobile (segkicks)", WriteKey: "wk_alpha"}}},
		idgraph.Space{ID: "beta", AccessTokens: []idgraph.AccessToken{{Token: betaToken}}, Rules: idgraph.DefaultRules(),
			Sources: []idgraph.Source{{ID: "web", WriteKey: "wk_beta"}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

var (
	t0   = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	evA  = idgraph.EventRef{MessageID: "m1", Type: "track", Event: "App Opened", SourceID: "segkicks", Timestamp: t0}
	evB  = idgraph.EventRef{MessageID: "m2", Type: "identify", SourceID: "segkicks", Timestamp: t0.Add(time.Hour)}
	uid  = idgraph.Identifier{Type: "user_id", Value: "u1"}
	anon = idgraph.Identifier{Type: "anonymous_id", Value: "a1"}
)

// profileStore is a fake of the Profile API's services holding one profile
// in space alpha, found by any of its identifiers. It records what the
// handlers asked.
type profileStore struct {
	profile idgraph.Profile
	events  []idgraph.StoredEvent
	history []idgraph.HistoryEntry

	gotSpace string
	gotID    idgraph.Identifier
	gotQuery idgraph.EventQuery
	gotLimit int
	gotActor string
	calls    int
}

func newProfileStore() *profileStore {
	return &profileStore{
		profile: idgraph.Profile{
			ID: "prf_1", Space: "alpha", CreatedAt: t0, UpdatedAt: t0.Add(time.Hour),
			Identifiers: []idgraph.Sighting{
				{Identifier: uid, FirstSeen: t0.Add(time.Hour), LastSeen: t0.Add(time.Hour), FirstSourceID: "segkicks", FirstMessageID: "m2"},
				{Identifier: anon, FirstSeen: t0, LastSeen: t0.Add(time.Hour), FirstSourceID: "segkicks", FirstMessageID: "m1"},
			},
			Traits: idgraph.Traits{
				"name":  {Value: "Jane", SourceID: "segkicks", MessageID: "m2", UpdatedAt: t0.Add(time.Hour)},
				"email": {Value: "jane@example.com", SourceID: "segkicks", MessageID: "m2", UpdatedAt: t0.Add(time.Hour)},
				"plan":  {Value: "pro", SourceID: "segkicks", MessageID: "m2", UpdatedAt: t0.Add(time.Hour)},
			},
		},
		events: []idgraph.StoredEvent{
			{MessageID: "m2", Type: "identify", SourceID: "segkicks", Timestamp: t0.Add(time.Hour)},
			{MessageID: "m1", Type: "track", Event: "App Opened", SourceID: "segkicks", Timestamp: t0},
		},
		history: []idgraph.HistoryEntry{
			{At: t0, Kind: idgraph.HistoryCreated, ProfileID: "prf_1", MessageID: "m1", SourceID: "segkicks"},
			{At: t0, Kind: idgraph.HistoryIdentifierAdded, ProfileID: "prf_1", Identifier: &anon, MessageID: "m1", SourceID: "segkicks"},
			{At: t0.Add(time.Hour), Kind: idgraph.HistoryIdentifierAdded, ProfileID: "prf_1", Identifier: &uid, MessageID: "m2", SourceID: "segkicks"},
		},
	}
}

// find records a call and returns ENOTFOUND unless the profile holds id.
func (f *profileStore) find(space string, id idgraph.Identifier) error {
	f.calls++
	f.gotSpace, f.gotID = space, id
	for _, s := range f.profile.Identifiers {
		if space == f.profile.Space && s.Identifier == id {
			return nil
		}
	}
	return idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
}

// Locate knows the profile's own id, prf_1, and prf_0, merged into it.
func (f *profileStore) Locate(_ context.Context, space, profileID string) (idgraph.ProfileLocation, error) {
	if space != f.profile.Space || (profileID != f.profile.ID && profileID != "prf_0") {
		return idgraph.ProfileLocation{}, idgraph.Errorf(idgraph.ENOTFOUND, "no profile %s", profileID)
	}
	return idgraph.ProfileLocation{ProfileID: f.profile.ID, Merged: profileID != f.profile.ID, Member: uid}, nil
}

func (f *profileStore) Profile(_ context.Context, space string, id idgraph.Identifier) (idgraph.Profile, error) {
	if err := f.find(space, id); err != nil {
		return idgraph.Profile{}, err
	}
	p := f.profile
	p.Identifiers = append([]idgraph.Sighting(nil), p.Identifiers...)
	return p, nil
}

func (f *profileStore) Events(_ context.Context, space string, id idgraph.Identifier, q idgraph.EventQuery) ([]idgraph.StoredEvent, error) {
	f.gotQuery = q
	if err := f.find(space, id); err != nil {
		return nil, err
	}
	var out []idgraph.StoredEvent
	for _, e := range f.events {
		if q.After != nil && !e.Timestamp.Before(q.After.Timestamp) {
			continue
		}
		if len(out) < q.Limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *profileStore) Metadata(_ context.Context, space string, id idgraph.Identifier) (idgraph.Metadata, error) {
	if err := f.find(space, id); err != nil {
		return idgraph.Metadata{}, err
	}
	first, last := evA, evB
	return idgraph.Metadata{ProfileID: "prf_1", CreatedAt: t0, UpdatedAt: t0.Add(time.Hour), MergeCount: 2,
		Identifiers: 2, FirstEvent: &first, LastEvent: &last}, nil
}

func (f *profileStore) Explain(_ context.Context, space string, from, to idgraph.Identifier) (idgraph.Explanation, error) {
	if err := f.find(space, to); err != nil {
		return idgraph.Explanation{}, err
	}
	if err := f.find(space, from); err != nil {
		return idgraph.Explanation{}, err
	}
	return idgraph.Explanation{From: from, To: to, Together: true, FromProfile: "prf_1", ToProfile: "prf_1",
		Path: []idgraph.Hop{{From: from, To: to, Count: 2, SourceIDs: []string{"segkicks"}, FirstEvent: evA, LastEvent: evB}}}, nil
}

func (f *profileStore) History(_ context.Context, space string, id idgraph.Identifier) ([]idgraph.HistoryEntry, error) {
	if err := f.find(space, id); err != nil {
		return nil, err
	}
	return append([]idgraph.HistoryEntry(nil), f.history...), nil
}

func (f *profileStore) Graph(_ context.Context, space string, id idgraph.Identifier, limit int) (idgraph.ProfileGraph, error) {
	f.gotLimit = limit
	if err := f.find(space, id); err != nil {
		return idgraph.ProfileGraph{}, err
	}
	return idgraph.ProfileGraph{ProfileID: "prf_1",
		Nodes: []idgraph.GraphNode{{ID: uid.String(), Type: uid.Type, Value: uid.Value, FirstSeen: t0, SourceID: "segkicks"}}}, nil
}

func (f *profileStore) Delete(_ context.Context, space string, id idgraph.Identifier, actor string) (idgraph.Deletion, error) {
	f.gotActor = actor
	if err := f.find(space, id); err != nil {
		return idgraph.Deletion{}, err
	}
	return idgraph.Deletion{ProfileID: "prf_1", Identifiers: []idgraph.Identifier{anon, uid}, Events: 2, Suppressed: 2}, nil
}

// Resolve accepts every event, so the fake can stand behind a Writer.
func (f *profileStore) Resolve(_ context.Context, _ idgraph.Space, _ idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	return idgraph.BatchResult{Loaded: len(events)}, nil
}

var (
	_ idgraph.ProfileService     = (*profileStore)(nil)
	_ idgraph.EventService       = (*profileStore)(nil)
	_ idgraph.ExplanationService = (*profileStore)(nil)
	_ idgraph.HistoryService     = (*profileStore)(nil)
	_ idgraph.DeletionService    = (*profileStore)(nil)
	_ idgraph.ResolutionService  = (*profileStore)(nil)
)

// profileStores is what the Profile API needs of a store, all served by
// one that implements every service (a *profileStore, a *graph.Store).
type profileStores interface {
	idgraph.ProfileService
	idgraph.EventService
	idgraph.ExplanationService
	idgraph.HistoryService
	idgraph.DeletionService
}

// profileConfig is a server configuration whose Profile API runs on store.
func profileConfig(store profileStores, spaces *idgraph.Spaces) api.Config {
	return api.Config{
		Profiles: store, Events: store, Explanations: store, History: store, Deletion: store,
		Spaces: spaces,
	}
}

// call sends one request with token (none when "") to a server over store.
func call(t *testing.T, store profileStores, spaces *idgraph.Spaces, method, target, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if token != "" {
		req.SetBasicAuth(token, "")
	}
	rec := httptest.NewRecorder()
	api.New(profileConfig(store, spaces)).Handler().ServeHTTP(rec, req)
	return rec
}

// decode unmarshals a response body into v, failing on anything else.
func decode(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
}

func TestProfileErrors(t *testing.T) {
	spaces := testSpaces(t)
	tests := []struct {
		name, method, target, token string
		wantStatus                  int
		wantCode, wantInMsg         string
		wantStoreCalled             bool
	}{
		{name: "no token", target: usersPath + "user_id:u1/traits",
			wantStatus: 401, wantCode: "authentication_error", wantInMsg: "missing access token"},
		{name: "wrong token", target: usersPath + "user_id:u1/traits", token: "tok_nope",
			wantStatus: 401, wantCode: "authentication_error", wantInMsg: "invalid access token"},
		{name: "write key is not an access token", target: usersPath + "user_id:u1/traits", token: "wk_alpha",
			wantStatus: 401, wantCode: "authentication_error"},
		{name: "token of another space", target: usersPath + "user_id:u1/traits", token: betaToken,
			wantStatus: 404, wantCode: "not_found", wantInMsg: "no profile holds user_id:u1"},
		{name: "token of another space, delete", method: "DELETE", target: usersPath + "user_id:u1", token: betaToken,
			wantStatus: 404, wantCode: "not_found", wantInMsg: "no profile holds user_id:u1"},
		{name: "unknown space", target: "/v1/spaces/gamma/collections/users/profiles/user_id:u1/metadata", token: alphaToken,
			wantStatus: 404, wantCode: "not_found", wantInMsg: "no profile holds user_id:u1"},
		{name: "unknown profile", target: usersPath + "user_id:nobody/traits", token: alphaToken,
			wantStatus: 404, wantCode: "not_found", wantInMsg: "no profile holds user_id:nobody", wantStoreCalled: true},
		{name: "unknown profile, delete", method: "DELETE", target: usersPath + "user_id:nobody", token: alphaToken,
			wantStatus: 404, wantCode: "not_found", wantStoreCalled: true},
		{name: "identifier without type", target: usersPath + "u1/traits", token: alphaToken,
			wantStatus: 400, wantCode: "invalid_request_error", wantInMsg: "want type:value"},
		{name: "identifier without value", target: usersPath + "user_id:/events", token: alphaToken,
			wantStatus: 400, wantCode: "invalid_request_error", wantInMsg: "want type:value"},
		{name: "limit 0", target: usersPath + "user_id:u1/traits?limit=0", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "limit: want an integer from 1 to 100"},
		{name: "limit 101", target: usersPath + "user_id:u1/events?limit=101", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "limit"},
		{name: "limit not a number", target: usersPath + "user_id:u1/external_ids?limit=ten", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "limit"},
		{name: "history limit", target: usersPath + "user_id:u1/history?limit=1000", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "limit"},
		{name: "graph limit", target: usersPath + "user_id:u1/graph?limit=1001", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "limit: want an integer from 1 to 1000"},
		{name: "bad next", target: usersPath + "user_id:u1/events?next=%21%21", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "next"},
		{name: "another route's next", target: usersPath + "user_id:u1/events?next=eyJrIjoibmFtZSJ9", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "next"},
		{name: "bad start", target: usersPath + "user_id:u1/events?start=yesterday", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "start"},
		{name: "end before start", target: usersPath + "user_id:u1/events?start=2020-01-02T00:00:00Z&end=2020-01-01T00:00:00Z", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "end"},
		{name: "bad verbose", target: usersPath + "user_id:u1/traits?verbose=maybe", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "verbose"},
		{name: "a bad sort", target: usersPath + "user_id:u1/events?sort=random", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "sort"},
		{name: "a class that does not exist", target: usersPath + "user_id:u1/traits?class=audiences", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "class"},
		{name: "bad verbose on external_ids", target: usersPath + "user_id:u1/external_ids?verbose=maybe", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "verbose"},
		{name: "explain without to", target: usersPath + "user_id:u1/explain", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "to: missing"},
		{name: "explain with a bad to", target: usersPath + "user_id:u1/explain?to=nocolon", token: alphaToken,
			wantStatus: 400, wantCode: "validation_error", wantInMsg: "to:"},
		{name: "explain to an unknown identifier", target: usersPath + "user_id:u1/explain?to=email:x@y.z", token: alphaToken,
			wantStatus: 404, wantCode: "not_found", wantInMsg: "email:x@y.z", wantStoreCalled: true},
		{name: "unknown route under a profile", target: usersPath + "user_id:u1/nope", token: alphaToken,
			wantStatus: 404, wantCode: "not_found"},
		{name: "wrong method", method: "POST", target: usersPath + "user_id:u1/traits", token: alphaToken,
			wantStatus: 405, wantCode: "invalid_request_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newProfileStore()
			method := tt.method
			if method == "" {
				method = "GET"
			}
			rec := call(t, store, spaces, method, tt.target, tt.token)
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d (body %s)", rec.Code, tt.wantStatus, rec.Body)
			}
			var body errorBody
			decode(t, rec, &body)
			if body.Error.Code != tt.wantCode || !strings.Contains(body.Error.Message, tt.wantInMsg) {
				t.Errorf("error = %+v, want code %q and a message containing %q", body.Error, tt.wantCode, tt.wantInMsg)
			}
			if got := store.calls > 0; got != tt.wantStoreCalled {
				t.Errorf("store called: %v, want %v", got, tt.wantStoreCalled)
			}
			if tt.wantStatus == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without a WWW-Authenticate header")
			}
			if rec.Header().Get(api.RequestIDHeader) == "" {
				t.Errorf("no %s header", api.RequestIDHeader)
			}
		})
	}
}

// TestProfileRouteWithoutItsService checks that each route needs only its
// own service: with events unconfigured, /events answers 503 and the
// routes of the configured services still work.
func TestProfileRouteWithoutItsService(t *testing.T) {
	store := newProfileStore()
	cfg := profileConfig(store, testSpaces(t))
	cfg.Events = nil
	h := api.New(cfg).Handler()
	for target, want := range map[string]int{
		usersPath + "user_id:u1/events":   503,
		usersPath + "user_id:u1/traits":   200,
		usersPath + "user_id:u1/metadata": 200,
		usersPath + "user_id:u1/history":  200,
	} {
		req := httptest.NewRequest("GET", target, nil)
		req.SetBasicAuth(alphaToken, "")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("GET %s: status %d, want %d (body %s)", target, rec.Code, want, rec.Body)
		}
	}
}

// TestProfileIdentifierFromPath checks that values keep every character:
// %2B and a bare + are "+", %3A and a bare : are ":", %2F is "/", %25 is "%".
func TestProfileIdentifierFromPath(t *testing.T) {
	tests := []struct {
		raw  string
		want idgraph.Identifier
	}{
		{"email:jane%2Btest@example.com", idgraph.Identifier{Type: "email", Value: "jane+test@example.com"}},
		{"email:jane+test@example.com", idgraph.Identifier{Type: "email", Value: "jane+test@example.com"}},
		{"external:a:b:c", idgraph.Identifier{Type: "external", Value: "a:b:c"}},
		{"external:a%3Ab", idgraph.Identifier{Type: "external", Value: "a:b"}},
		{"user_id%3Au1", idgraph.Identifier{Type: "user_id", Value: "u1"}},
		{"push_token:abc%2Fdef%3D%3D", idgraph.Identifier{Type: "push_token", Value: "abc/def=="}},
		{"user_id:100%25%20sure", idgraph.Identifier{Type: "user_id", Value: "100% sure"}},
		{"email:Jane.Doe@Example.COM", idgraph.Identifier{Type: "email", Value: "jane.doe@example.com"}},
		{"user_id:CaseKept", idgraph.Identifier{Type: "user_id", Value: "CaseKept"}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			store := newProfileStore()
			store.profile.Identifiers[0].Identifier = tt.want
			rec := call(t, store, testSpaces(t), "GET", usersPath+tt.raw+"/metadata", alphaToken)
			if rec.Code != 200 || store.gotID != tt.want {
				t.Errorf("status %d, store asked for %+v; want 200 and %+v (body %s)", rec.Code, store.gotID, tt.want, rec.Body)
			}
		})
	}
}

// cursorOf is Segment's cursor object.
type cursorOf struct {
	URL     string `json:"url"`
	HasMore bool   `json:"has_more"`
	Next    string `json:"next"`
}

func TestProfileTraits(t *testing.T) {
	store, spaces := newProfileStore(), testSpaces(t)
	var all struct {
		Traits map[string]any `json:"traits"`
		Cursor cursorOf       `json:"cursor"`
	}
	target := usersPath + "user_id:u1/traits"
	decode(t, call(t, store, spaces, "GET", target, alphaToken), &all)
	want := map[string]any{"email": "jane@example.com", "name": "Jane", "plan": "pro"}
	if !reflect.DeepEqual(all.Traits, want) || all.Cursor != (cursorOf{URL: target}) {
		t.Errorf("got %+v, want traits %v and cursor {url: %s, has_more: false, next: \"\"}", all, want, target)
	}
	if store.gotSpace != "alpha" || store.gotID != uid {
		t.Errorf("store asked for %s in %s, want user_id:u1 in alpha", store.gotID, store.gotSpace)
	}

	// Two at a time, in key order, following the cursor.
	var keys []string
	next := ""
	for range 5 {
		target := usersPath + "user_id:u1/traits?limit=2"
		if next != "" {
			target += "&next=" + url.QueryEscape(next)
		}
		var page struct {
			Traits map[string]any `json:"traits"`
			Cursor cursorOf       `json:"cursor"`
		}
		decode(t, call(t, store, spaces, "GET", target, alphaToken), &page)
		if page.Cursor.URL != target {
			t.Errorf("cursor.url = %q, want the request's %q", page.Cursor.URL, target)
		}
		for k := range page.Traits {
			keys = append(keys, k)
		}
		if !page.Cursor.HasMore {
			if page.Cursor.Next != "" {
				t.Errorf("last page has next %q, want empty", page.Cursor.Next)
			}
			break
		}
		next = page.Cursor.Next
	}
	if len(keys) != 3 {
		t.Errorf("paged through %v, want the 3 traits once each", keys)
	}

	var verbose struct {
		Traits map[string]map[string]any `json:"traits"`
	}
	decode(t, call(t, store, spaces, "GET", usersPath+"user_id:u1/traits?verbose=true&include=name,missing", alphaToken), &verbose)
	wantVerbose := map[string]map[string]any{"name": {
		"value": "Jane", "source_id": "segkicks", "message_id": "m2", "updated_at": "2020-01-01T01:00:00Z",
	}}
	if !reflect.DeepEqual(verbose.Traits, wantVerbose) {
		t.Errorf("verbose traits = %v, want %v", verbose.Traits, wantVerbose)
	}
}

func TestProfileExternalIDs(t *testing.T) {
	store, spaces := newProfileStore(), testSpaces(t)
	var page struct {
		Data   []map[string]any `json:"data"`
		Cursor cursorOf         `json:"cursor"`
	}
	decode(t, call(t, store, spaces, "GET", usersPath+"anonymous_id:a1/external_ids?limit=1", alphaToken), &page)
	want := []map[string]any{{
		"id": "a1", "type": "anonymous_id", "source_id": "segkicks", "source_name": "Mobile (segkicks)",
		"collection": "users", "created_at": "2020-01-01T00:00:00Z", "encoding": "none", "first_message_id": "m1",
	}}
	if !reflect.DeepEqual(page.Data, want) || !page.Cursor.HasMore || page.Cursor.Next == "" {
		t.Fatalf("first page = %+v, want %v with more to come", page, want)
	}
	decode(t, call(t, store, spaces, "GET", usersPath+"anonymous_id:a1/external_ids?limit=1&next="+page.Cursor.Next, alphaToken), &page)
	if len(page.Data) != 1 || page.Data[0]["id"] != "u1" || page.Cursor.HasMore {
		t.Errorf("second page = %+v, want user_id u1 and no more", page)
	}
}

func TestProfileEvents(t *testing.T) {
	store, spaces := newProfileStore(), testSpaces(t)
	var page struct {
		Data   []idgraph.StoredEvent `json:"data"`
		Cursor cursorOf              `json:"cursor"`
	}
	decode(t, call(t, store, spaces, "GET", usersPath+"user_id:u1/events?limit=1&start=2019-12-31T00:00:00Z&end=2020-02-01T00:00:00Z", alphaToken), &page)
	wantQuery := idgraph.EventQuery{Start: time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC), End: time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC), Limit: 2}
	if !reflect.DeepEqual(store.gotQuery, wantQuery) {
		t.Errorf("store query = %+v, want %+v (limit+1 to know whether more follow)", store.gotQuery, wantQuery)
	}
	if len(page.Data) != 1 || page.Data[0].MessageID != "m2" || !page.Cursor.HasMore {
		t.Fatalf("first page = %+v, want m2 with more to come", page)
	}
	decode(t, call(t, store, spaces, "GET", usersPath+"user_id:u1/events?limit=1&next="+page.Cursor.Next, alphaToken), &page)
	if want := (&idgraph.EventCursor{Timestamp: t0.Add(time.Hour), MessageID: "m2"}); !reflect.DeepEqual(store.gotQuery.After, want) {
		t.Errorf("cursor sent to the store = %+v, want %+v", store.gotQuery.After, want)
	}
	if len(page.Data) != 1 || page.Data[0].MessageID != "m1" || page.Cursor.HasMore {
		t.Errorf("second page = %+v, want m1 and no more", page)
	}
	decode(t, call(t, store, spaces, "GET", usersPath+"user_id:u1/events", alphaToken), &page)
	if store.gotQuery.Limit != 11 || len(page.Data) != 2 {
		t.Errorf("default: store limit %d and %d events, want 11 (10+1) and 2", store.gotQuery.Limit, len(page.Data))
	}
}

func TestProfileMetadata(t *testing.T) {
	rec := call(t, newProfileStore(), testSpaces(t), "GET", usersPath+"user_id:u1/metadata", alphaToken)
	want := `{"metadata":{"created_at":"2020-01-01T00:00:00Z","updated_at":"2020-01-01T01:00:00Z",` +
		`"first_message_id":"m1","first_source_id":"segkicks","last_message_id":"m2","last_source_id":"segkicks",` +
		`"profile_id":"prf_1","merge_count":2,"identifier_count":2,` +
		`"first_event":{"message_id":"m1","type":"track","event":"App Opened","source_id":"segkicks","timestamp":"2020-01-01T00:00:00Z"},` +
		`"last_event":{"message_id":"m2","type":"identify","source_id":"segkicks","timestamp":"2020-01-01T01:00:00Z"}}}`
	if got := rec.Body.String(); rec.Code != 200 || got != want {
		t.Errorf("status %d body\n%s\nwant 200 and\n%s", rec.Code, got, want)
	}
}

func TestProfileExplain(t *testing.T) {
	store := newProfileStore()
	var got map[string]any
	rec := call(t, store, testSpaces(t), "GET", usersPath+"anonymous_id:a1/explain?to=user_id%3Au1", alphaToken)
	decode(t, rec, &got)
	if rec.Code != 200 || got["together"] != true || got["from_profile"] != "prf_1" {
		t.Fatalf("status %d body %s, want 200 and together in prf_1", rec.Code, rec.Body)
	}
	if rej, ok := got["rejections"].([]any); !ok || len(rej) != 0 {
		t.Errorf("rejections = %v, want an empty list", got["rejections"])
	}
	want := `anonymous_id:a1 and user_id:u1 are in profile prf_1 through 1 link: anonymous_id:a1 and user_id:u1 were seen together in 2 events, ` +
		`first in m1 (track "App Opened" from segkicks at 2020-01-01T00:00:00Z), last in m2 (identify from segkicks at 2020-01-01T01:00:00Z).`
	if got["summary"] != want {
		t.Errorf("summary = %q\nwant %q", got["summary"], want)
	}
}

func TestProfileHistoryPages(t *testing.T) {
	store, spaces := newProfileStore(), testSpaces(t)
	var kinds []string
	next := ""
	for range 5 {
		target := usersPath + "user_id:u1/history?limit=2"
		if next != "" {
			target += "&next=" + next
		}
		var page struct {
			Data   []idgraph.HistoryEntry `json:"data"`
			Cursor cursorOf               `json:"cursor"`
		}
		decode(t, call(t, store, spaces, "GET", target, alphaToken), &page)
		for _, h := range page.Data {
			kinds = append(kinds, h.Kind)
		}
		if !page.Cursor.HasMore {
			break
		}
		next = page.Cursor.Next
	}
	want := []string{"created", "identifier_added", "identifier_added"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("history kinds = %v, want %v", kinds, want)
	}
}

func TestProfileGraphLimit(t *testing.T) {
	for _, tt := range []struct {
		query string
		want  int
	}{{"", 100}, {"?limit=1", 1}, {"?limit=1000", 1000}} {
		store := newProfileStore()
		rec := call(t, store, testSpaces(t), "GET", usersPath+"user_id:u1/graph"+tt.query, alphaToken)
		if rec.Code != 200 || store.gotLimit != tt.want {
			t.Errorf("graph%s: status %d, store limit %d; want 200 and %d", tt.query, rec.Code, store.gotLimit, tt.want)
		}
		var g map[string]any
		decode(t, rec, &g)
		if links, ok := g["links"].([]any); !ok || len(links) != 0 {
			t.Errorf("links = %v, want an empty list", g["links"])
		}
	}
}

func TestProfileDelete(t *testing.T) {
	store := newProfileStore()
	rec := call(t, store, testSpaces(t), "DELETE", usersPath+"user_id:u1", alphaAdminToken)
	want := `{"profile_id":"prf_1","identifiers":[{"type":"anonymous_id","value":"a1"},{"type":"user_id","value":"u1"}],"events":2,"suppressed":2}`
	if rec.Code != 200 || rec.Body.String() != want {
		t.Errorf("status %d body %s, want 200 and %s", rec.Code, rec.Body, want)
	}
	if store.gotActor != "ops" {
		t.Errorf("the delete acted for %q, want the token's name ops (the feed records it)", store.gotActor)
	}
}

func TestProfileWithoutStoreIsUnavailable(t *testing.T) {
	rec := call(t, nil, testSpaces(t), "GET", usersPath+"user_id:u1/traits", alphaToken)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503 without a store", rec.Code)
	}
}

// TestProfileAPIAgainstNeo4j resolves the seed story (and Segment's limit
// example) into a real store, then reads every route over HTTP and checks
// the answers field by field.
func TestProfileAPIAgainstNeo4j(t *testing.T) {
	ctx := context.Background()
	db := graphtest.Open(t)
	store := graph.NewStore(db)
	space := idgraph.Space{ID: graphtest.Space(t), AccessTokens: []idgraph.AccessToken{{Token: "tok_seed"}}, Rules: idgraph.DefaultRules(),
		Sources: []idgraph.Source{
			{ID: "segkicks", Name: "Mobile (segkicks)", WriteKey: "wk_segkicks"},
			{ID: "segruns", Name: "Mobile (segruns)", WriteKey: "wk_segruns"},
		}}
	other := idgraph.Space{ID: "other", AccessTokens: []idgraph.AccessToken{{Token: "tok_other"}}, Rules: idgraph.DefaultRules(),
		Sources: []idgraph.Source{{ID: "web", WriteKey: "wk_web"}}}
	spaces, err := idgraph.NewSpaces(space, other)
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(source int, line string) {
		t.Helper()
		ev, err := idgraph.ParseEvent([]byte(line), time.Date(2019, 11, 20, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("parse %s: %v", line, err)
		}
		if _, err := store.Resolve(ctx, space, space.Sources[source], []idgraph.Event{ev}); err != nil {
			t.Fatalf("resolve: %v", err)
		}
	}
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		data, err := os.ReadFile(filepath.Join("..", "test", "testdata", "seed", f))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			src := 0
			if strings.Contains(line, `"SegRuns"`) {
				src = 1
			}
			resolve(src, line)
		}
	}
	resolve(0, `{"type":"identify","messageId":"lim-1","userId":"abc123","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-01T00:00:00Z"}`)
	resolve(1, `{"type":"identify","messageId":"lim-2","userId":"abc456","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-02T00:00:00Z"}`)

	h := api.New(profileConfig(store, spaces)).Handler()
	base := "/v1/spaces/" + space.ID + "/collections/users/profiles/"
	get := func(method, path, token string, v any) int {
		t.Helper()
		req := httptest.NewRequest(method, base+path, nil)
		req.SetBasicAuth(token, "")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if v != nil {
			decode(t, rec, v)
		}
		return rec.Code
	}
	at := func(day, hour, min int) time.Time { return time.Date(2019, 11, day, hour, min, 0, 0, time.UTC) }
	seedProfile, err := store.Profile(ctx, space.ID, idgraph.Identifier{Type: "user_id", Value: "abc123def"})
	if err != nil {
		t.Fatal(err)
	}
	pid := seedProfile.ID

	t.Run("traits", func(t *testing.T) {
		var got struct {
			Traits map[string]struct {
				Value     any       `json:"value"`
				SourceID  string    `json:"source_id"`
				MessageID string    `json:"message_id"`
				UpdatedAt time.Time `json:"updated_at"`
			} `json:"traits"`
			Cursor cursorOf `json:"cursor"`
		}
		if code := get("GET", "anonymous_id:anon_789/traits?verbose=true", "tok_seed", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		if len(got.Traits) != 2 {
			t.Errorf("traits = %+v, want email and name", got.Traits)
		}
		for k, want := range map[string]string{"email": "jane.doe@gmail.com", "name": "Jane Doe"} {
			tr := got.Traits[k]
			if tr.Value != want || tr.SourceID != "segkicks" || tr.MessageID != "segkicks-5" || !tr.UpdatedAt.Equal(at(15, 9, 20)) {
				t.Errorf("trait %s = %+v, want %q from segkicks-5 (segkicks) at 09:20", k, tr, want)
			}
		}
		if got.Cursor.HasMore || got.Cursor.Next != "" || !strings.HasSuffix(got.Cursor.URL, "/traits?verbose=true") {
			t.Errorf("cursor = %+v, want no more and the request's url", got.Cursor)
		}
	})

	t.Run("external_ids", func(t *testing.T) {
		var got struct {
			Data []struct {
				ID             string    `json:"id"`
				Type           string    `json:"type"`
				SourceID       string    `json:"source_id"`
				SourceName     string    `json:"source_name"`
				Collection     string    `json:"collection"`
				CreatedAt      time.Time `json:"created_at"`
				Encoding       string    `json:"encoding"`
				FirstMessageID string    `json:"first_message_id"`
			} `json:"data"`
			Cursor cursorOf `json:"cursor"`
		}
		if code := get("GET", "email:jane.doe%40gmail.com/external_ids?limit=100", "tok_seed", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		want := []struct {
			id, source, msg string
			at              time.Time
		}{
			{"android.id:and_1a2b3c4d", "segkicks", "segkicks-7", at(16, 8, 0)},
			{"anonymous_id:anon_123", "segkicks", "segkicks-1", at(15, 9, 0)},
			{"anonymous_id:anon_456", "segkicks", "segkicks-7", at(16, 8, 0)},
			{"anonymous_id:anon_789", "segruns", "segruns-1", at(16, 18, 30)},
			{"email:jane.doe@gmail.com", "segkicks", "segkicks-5", at(15, 9, 20)},
			{"ios.id:ios_abc123", "segkicks", "segkicks-1", at(15, 9, 0)},
			{"user_id:abc123def", "segkicks", "segkicks-5", at(15, 9, 20)},
		}
		if len(got.Data) != len(want) || got.Cursor.HasMore {
			t.Fatalf("got %d external ids (has_more %v), want %d", len(got.Data), got.Cursor.HasMore, len(want))
		}
		names := map[string]string{"segkicks": "Mobile (segkicks)", "segruns": "Mobile (segruns)"}
		for i, w := range want {
			x := got.Data[i]
			if x.Type+":"+x.ID != w.id || x.SourceID != w.source || x.SourceName != names[w.source] ||
				x.Collection != "users" || !x.CreatedAt.Equal(w.at) || x.Encoding != "none" || x.FirstMessageID != w.msg {
				t.Errorf("external id %d = %+v, want %s first seen in %s from %s at %s", i, x, w.id, w.msg, w.source, w.at)
			}
		}
	})

	t.Run("events", func(t *testing.T) {
		want := []string{"segruns-2", "segruns-1", "segkicks-7", "segkicks-6", "segkicks-5", "segkicks-4", "segkicks-3", "segkicks-2", "segkicks-1"}
		var walked []string
		next := ""
		for range 5 {
			var page struct {
				Data   []idgraph.StoredEvent `json:"data"`
				Cursor cursorOf              `json:"cursor"`
			}
			target := "ios.id:ios_abc123/events?limit=4"
			if next != "" {
				target += "&next=" + next
			}
			if code := get("GET", target, "tok_seed", &page); code != 200 {
				t.Fatalf("status %d", code)
			}
			for _, e := range page.Data {
				walked = append(walked, e.MessageID)
			}
			if !page.Cursor.HasMore {
				break
			}
			next = page.Cursor.Next
		}
		if !reflect.DeepEqual(walked, want) {
			t.Errorf("events paged 4 at a time = %v, want %v", walked, want)
		}
		var page struct {
			Data []idgraph.StoredEvent `json:"data"`
		}
		get("GET", "ios.id:ios_abc123/events?start=2019-11-15T09:05:00Z&end=2019-11-15T09:06:00Z", "tok_seed", &page)
		if len(page.Data) != 1 {
			t.Fatalf("events in [09:05, 09:06) = %+v, want segkicks-2 alone", page.Data)
		}
		e := page.Data[0]
		if e.MessageID != "segkicks-2" || e.Type != "track" || e.Event != "ShoeA Clicked" || e.SourceID != "segkicks" ||
			!e.Timestamp.Equal(at(15, 9, 5)) || e.AnonymousID != "anon_123" || string(e.Properties) != `{"shoe":"ShoeA"}` {
			t.Errorf("event = %+v, want segkicks-2, ShoeA Clicked from segkicks at 09:05 by anon_123 with shoe ShoeA", e)
		}
	})

	t.Run("metadata", func(t *testing.T) {
		var got struct {
			Metadata struct {
				CreatedAt      time.Time         `json:"created_at"`
				UpdatedAt      time.Time         `json:"updated_at"`
				FirstMessageID string            `json:"first_message_id"`
				FirstSourceID  string            `json:"first_source_id"`
				LastMessageID  string            `json:"last_message_id"`
				LastSourceID   string            `json:"last_source_id"`
				ProfileID      string            `json:"profile_id"`
				MergeCount     int               `json:"merge_count"`
				Identifiers    int               `json:"identifier_count"`
				FirstEvent     *idgraph.EventRef `json:"first_event"`
				LastEvent      *idgraph.EventRef `json:"last_event"`
			} `json:"metadata"`
		}
		if code := get("GET", "user_id:abc123def/metadata", "tok_seed", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		m := got.Metadata
		if !m.CreatedAt.Equal(at(15, 9, 0)) || !m.UpdatedAt.Equal(at(16, 18, 31)) || m.ProfileID != pid ||
			m.FirstMessageID != "segkicks-1" || m.FirstSourceID != "segkicks" ||
			m.LastMessageID != "segruns-2" || m.LastSourceID != "segruns" || m.MergeCount != 0 || m.Identifiers != 7 {
			t.Errorf("metadata = %+v", m)
		}
		wantFirst := idgraph.EventRef{MessageID: "segkicks-1", Type: "track", Event: "App Opened", SourceID: "segkicks", Timestamp: at(15, 9, 0)}
		wantLast := idgraph.EventRef{MessageID: "segruns-2", Type: "track", Event: "Workout Viewed", SourceID: "segruns", Timestamp: at(16, 18, 31)}
		if m.FirstEvent == nil || *m.FirstEvent != wantFirst || m.LastEvent == nil || *m.LastEvent != wantLast {
			t.Errorf("first, last events = %+v, %+v; want %+v, %+v", m.FirstEvent, m.LastEvent, wantFirst, wantLast)
		}
	})

	t.Run("explain together", func(t *testing.T) {
		var got struct {
			Together    bool          `json:"together"`
			FromProfile string        `json:"from_profile"`
			ToProfile   string        `json:"to_profile"`
			Path        []idgraph.Hop `json:"path"`
			Summary     string        `json:"summary"`
		}
		if code := get("GET", "anonymous_id:anon_123/explain?to=android.id:and_1a2b3c4d", "tok_seed", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		if !got.Together || got.FromProfile != pid || got.ToProfile != pid || len(got.Path) != 2 {
			t.Fatalf("explain = %+v, want 2 hops inside %s", got, pid)
		}
		// Every hop cites a real event of the story, which carried both ends.
		story := map[string]idgraph.EventRef{
			"segkicks-5": {MessageID: "segkicks-5", Type: "identify", SourceID: "segkicks", Timestamp: at(15, 9, 20)},
			"segkicks-6": {MessageID: "segkicks-6", Type: "track", Event: "Order Completed", SourceID: "segkicks", Timestamp: at(15, 9, 21)},
			"segkicks-7": {MessageID: "segkicks-7", Type: "identify", SourceID: "segkicks", Timestamp: at(16, 8, 0)},
			"segruns-2":  {MessageID: "segruns-2", Type: "track", Event: "Workout Viewed", SourceID: "segruns", Timestamp: at(16, 18, 31)},
		}
		wantHops := []struct {
			from, to, first, last string
			count                 int
		}{
			{"anonymous_id:anon_123", "user_id:abc123def", "segkicks-5", "segkicks-6", 2},
			{"user_id:abc123def", "android.id:and_1a2b3c4d", "segkicks-7", "segruns-2", 3},
		}
		for i, w := range wantHops {
			h := got.Path[i]
			if h.From.String() != w.from || h.To.String() != w.to || h.Count != w.count ||
				h.FirstEvent != story[w.first] || h.LastEvent != story[w.last] {
				t.Errorf("hop %d = %+v, want %s -> %s, %d events, first %+v, last %+v", i, h, w.from, w.to, w.count, story[w.first], story[w.last])
			}
		}
		if !strings.Contains(got.Summary, "through 2 links") || !strings.Contains(got.Summary, "segkicks-7") {
			t.Errorf("summary = %q, want the chain in words", got.Summary)
		}
	})

	t.Run("explain apart", func(t *testing.T) {
		var got struct {
			Together   bool                   `json:"together"`
			Rejections []idgraph.RejectionRef `json:"rejections"`
			Summary    string                 `json:"summary"`
		}
		if code := get("GET", "user_id:abc123/explain?to=user_id:abc456", "tok_seed", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		if got.Together || len(got.Rejections) != 1 {
			t.Fatalf("explain = %+v, want apart with one rejection", got)
		}
		r := got.Rejections[0]
		day2 := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
		wantEvent := idgraph.EventRef{MessageID: "lim-2", Type: "identify", SourceID: "segruns", Timestamp: day2}
		if r.Rule != "limit:user_id" || r.From.String() != "email:jane@example1.com" || r.To.String() != "user_id:abc456" ||
			!r.At.Equal(day2) || r.Count != 1 || r.Event != wantEvent || r.Detail == "" {
			t.Errorf("rejection = %+v, want limit:user_id refusing email:jane@example1.com with user_id:abc456 in %+v", r, wantEvent)
		}
		if !strings.Contains(got.Summary, "limit:user_id") {
			t.Errorf("summary = %q, want the rule named", got.Summary)
		}
	})

	t.Run("history", func(t *testing.T) {
		var got struct {
			Data   []idgraph.HistoryEntry `json:"data"`
			Cursor cursorOf               `json:"cursor"`
		}
		if code := get("GET", "user_id:abc123def/history", "tok_seed", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		want := []string{
			"created  segkicks-1 segkicks",
			"identifier_added anonymous_id:anon_123 segkicks-1 segkicks",
			"identifier_added ios.id:ios_abc123 segkicks-1 segkicks",
			"identifier_added email:jane.doe@gmail.com segkicks-5 segkicks",
			"identifier_added user_id:abc123def segkicks-5 segkicks",
			"identifier_added android.id:and_1a2b3c4d segkicks-7 segkicks",
			"identifier_added anonymous_id:anon_456 segkicks-7 segkicks",
			"identifier_added anonymous_id:anon_789 segruns-1 segruns",
		}
		var lines []string
		for _, e := range got.Data {
			id := ""
			if e.Identifier != nil {
				id = e.Identifier.String()
			}
			if e.ProfileID != pid {
				t.Errorf("entry %+v names profile %s, want %s", e, e.ProfileID, pid)
			}
			lines = append(lines, e.Kind+" "+id+" "+e.MessageID+" "+e.SourceID)
		}
		if !reflect.DeepEqual(lines, want) || got.Cursor.HasMore {
			t.Errorf("history = %q (has_more %v), want %q", lines, got.Cursor.HasMore, want)
		}
	})

	t.Run("graph", func(t *testing.T) {
		var got idgraph.ProfileGraph
		if code := get("GET", "user_id:abc123def/graph", "tok_seed", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		if got.ProfileID != pid || len(got.Nodes) != 7 || len(got.Links) != 7 || got.Truncated {
			t.Errorf("graph: profile %s, %d nodes, %d links, truncated %v; want %s, 7, 7, false", got.ProfileID, len(got.Nodes), len(got.Links), got.Truncated, pid)
		}
		if n := got.Nodes[0]; n.ID != "user_id:abc123def" || n.Type != "user_id" || n.Value != "abc123def" || n.SourceID != "segkicks" || !n.FirstSeen.Equal(at(15, 9, 20)) {
			t.Errorf("first node = %+v, want user_id:abc123def first seen from segkicks at 09:20", n)
		}
		get("GET", "user_id:abc123def/graph?limit=2", "tok_seed", &got)
		if len(got.Nodes) != 2 || !got.Truncated || len(got.Links) != 1 {
			t.Errorf("graph?limit=2: %d nodes, %d links, truncated %v; want 2, 1, true", len(got.Nodes), len(got.Links), got.Truncated)
		}
	})

	t.Run("another space's token", func(t *testing.T) {
		var got errorBody
		if code := get("GET", "user_id:abc123def/traits", "tok_other", &got); code != 404 || got.Error.Code != "not_found" {
			t.Errorf("status %d, error %+v; want 404 not_found", code, got.Error)
		}
	})

	t.Run("delete", func(t *testing.T) {
		var got idgraph.Deletion
		if code := get("DELETE", "user_id:abc456", "tok_seed", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		want := idgraph.Deletion{ProfileID: got.ProfileID, Identifiers: []idgraph.Identifier{{Type: "user_id", Value: "abc456"}}, Events: 1, Suppressed: 1}
		if got.ProfileID == "" || got.ProfileID == pid || !reflect.DeepEqual(got, want) {
			t.Errorf("deletion = %+v, want %+v", got, want)
		}
		var gone errorBody
		if code := get("GET", "user_id:abc456/traits", "tok_seed", &gone); code != 404 || gone.Error.Code != "not_found" {
			t.Errorf("after delete: status %d, error %+v; want 404 not_found", code, gone.Error)
		}
		if code := get("GET", "user_id:abc123def/metadata", "tok_seed", nil); code != 200 {
			t.Errorf("the seed profile after deleting another: status %d, want 200", code)
		}
	})
}

// TestProfileByItsOwnID: profile_id:prf_1 reads the profile; prf_0, merged
// into it, answers 308 to the same route under prf_1; an unknown id is 404.
func TestProfileByItsOwnID(t *testing.T) {
	spaces := testSpaces(t)
	rec := call(t, newProfileStore(), spaces, "GET", usersPath+"profile_id:prf_1/traits", alphaToken)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Jane") {
		t.Errorf("by id: %d %s, want Jane's traits", rec.Code, rec.Body)
	}
	rec = call(t, newProfileStore(), spaces, "GET", usersPath+"profile_id:prf_0/traits?limit=5", alphaToken)
	if rec.Code != 308 || rec.Header().Get("Location") != usersPath+"profile_id:prf_1/traits?limit=5" || !strings.Contains(rec.Body.String(), `"merged_into":"prf_1"`) {
		t.Errorf("merged away: %d, Location %q, %s; want 308 to prf_1", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	checkAnswer(t, openapiDoc(t), "GET", "/v1/spaces/{space}/collections/users/profiles/{id}/traits", rec)
	rec = call(t, newProfileStore(), spaces, "GET", usersPath+"profile_id:prf_9/traits", alphaToken)
	if rec.Code != 404 {
		t.Errorf("unknown id: %d, want 404", rec.Code)
	}
	rec = call(t, newProfileStore(), spaces, "GET", usersPath+"profile_id:prf_1/traits", betaToken)
	if rec.Code != 404 {
		t.Errorf("another space's token: %d, want 404", rec.Code)
	}
}

// TestExternalIDsIncludeAndVerbose: include keeps the types it names;
// verbose adds when each identifier was last seen.
func TestExternalIDsIncludeAndVerbose(t *testing.T) {
	spaces := testSpaces(t)
	var res struct {
		Data []map[string]any `json:"data"`
	}
	decode(t, call(t, newProfileStore(), spaces, "GET", usersPath+"user_id:u1/external_ids?include=anonymous_id,phone", alphaToken), &res)
	if len(res.Data) != 1 || res.Data[0]["type"] != "anonymous_id" || res.Data[0]["last_seen"] != nil {
		t.Errorf("include=anonymous_id: %v, want the anonymous id alone, no last_seen", res.Data)
	}
	decode(t, call(t, newProfileStore(), spaces, "GET", usersPath+"user_id:u1/external_ids?verbose=true&class=traits", alphaToken), &res)
	if len(res.Data) != 2 || res.Data[0]["last_seen"] != "2020-01-01T01:00:00Z" {
		t.Errorf("verbose: %v, want both identifiers with last_seen", res.Data)
	}
	rec := call(t, newProfileStore(), spaces, "GET", usersPath+"user_id:u1/traits?class=traits", alphaToken)
	if rec.Code != 200 {
		t.Errorf("class=traits: %d %s", rec.Code, rec.Body)
	}
}

// TestEventsFiltersReachTheStore: include, exclude and sort=asc reach the
// query.
func TestEventsFiltersReachTheStore(t *testing.T) {
	store := newProfileStore()
	rec := call(t, store, testSpaces(t), "GET", usersPath+"user_id:u1/events?include=Order+Completed,App+Opened&exclude=Debug&sort=asc", alphaToken)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	q := store.gotQuery
	if !slices.Equal(q.Include, []string{"App Opened", "Order Completed"}) || !slices.Equal(q.Exclude, []string{"Debug"}) || !q.Oldest {
		t.Errorf("query = %+v, want the names included and excluded, oldest first", q)
	}
}
