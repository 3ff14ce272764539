package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
)

const (
	alphaToken = "tok_alpha"
	betaToken  = "tok_beta"
	usersPath  = "/v1/spaces/alpha/collections/users/profiles/"
)

// testSpaces are two spaces, each with its own token: alpha holds the fake
// store's one profile.
func testSpaces(t *testing.T) *idgraph.Spaces {
	t.Helper()
	sp, err := idgraph.NewSpaces(
		idgraph.Space{ID: "alpha", AccessTokens: []string{alphaToken}, Rules: idgraph.DefaultRules(),
			Sources: []idgraph.Source{{ID: "segkicks", Name: "Mobile (segkicks)", WriteKey: "wk_alpha"}}},
		idgraph.Space{ID: "beta", AccessTokens: []string{betaToken}, Rules: idgraph.DefaultRules(),
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

// profileStore is a fake idgraph.Store holding one profile in space alpha,
// found by any of its identifiers. It records what the handlers asked.
type profileStore struct {
	idgraph.Store // methods the Profile API does not call panic

	profile idgraph.Profile
	events  []idgraph.StoredEvent
	history []idgraph.HistoryEntry

	gotSpace string
	gotID    idgraph.Identifier
	gotQuery idgraph.EventQuery
	gotLimit int
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
		if q.Before != nil && !e.Timestamp.Before(q.Before.Timestamp) {
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

func (f *profileStore) Delete(_ context.Context, space string, id idgraph.Identifier) (idgraph.Deletion, error) {
	if err := f.find(space, id); err != nil {
		return idgraph.Deletion{}, err
	}
	return idgraph.Deletion{ProfileID: "prf_1", Identifiers: []idgraph.Identifier{anon, uid}, Events: 2, Suppressed: 2}, nil
}

// call sends one request with token (none when "") to a server over store.
func call(t *testing.T, store idgraph.Store, spaces *idgraph.Spaces, method, target, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if token != "" {
		req.SetBasicAuth(token, "")
	}
	rec := httptest.NewRecorder()
	api.New(api.Config{Store: store, Spaces: spaces}).Handler().ServeHTTP(rec, req)
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
	if want := (&idgraph.EventCursor{Timestamp: t0.Add(time.Hour), MessageID: "m2"}); !reflect.DeepEqual(store.gotQuery.Before, want) {
		t.Errorf("cursor sent to the store = %+v, want %+v", store.gotQuery.Before, want)
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
	rec := call(t, newProfileStore(), testSpaces(t), "DELETE", usersPath+"user_id:u1", alphaToken)
	want := `{"profile_id":"prf_1","identifiers":[{"type":"anonymous_id","value":"a1"},{"type":"user_id","value":"u1"}],"events":2,"suppressed":2}`
	if rec.Code != 200 || rec.Body.String() != want {
		t.Errorf("status %d body %s, want 200 and %s", rec.Code, rec.Body, want)
	}
}

func TestProfileWithoutStoreIsUnavailable(t *testing.T) {
	rec := call(t, nil, testSpaces(t), "GET", usersPath+"user_id:u1/traits", alphaToken)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503 without a store", rec.Code)
	}
}
