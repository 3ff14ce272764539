package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
)

// askedProfiles is a ProfileService that finds no profile and remembers
// the identifiers it was asked for.
type askedProfiles struct {
	mu    sync.Mutex
	asked []idgraph.Identifier
}

func (a *askedProfiles) ask(id idgraph.Identifier) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asked = append(a.asked, id)
	return idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
}

func (a *askedProfiles) Profile(_ context.Context, _ string, id idgraph.Identifier) (idgraph.Profile, error) {
	return idgraph.Profile{}, a.ask(id)
}

func (a *askedProfiles) Metadata(_ context.Context, _ string, id idgraph.Identifier) (idgraph.Metadata, error) {
	return idgraph.Metadata{}, a.ask(id)
}

func (a *askedProfiles) Graph(_ context.Context, _ string, id idgraph.Identifier, _ int) (idgraph.ProfileGraph, error) {
	return idgraph.ProfileGraph{}, a.ask(id)
}

func (a *askedProfiles) Locate(context.Context, string, string) (idgraph.ProfileLocation, error) {
	return idgraph.ProfileLocation{}, idgraph.Errorf(idgraph.ENOTFOUND, "no such profile")
}

// FuzzProfileIdentifier sends a Profile API request for any path segment
// as the identifier: the answer is never a 500, and the store is only ever
// asked for an identifier within bounds, valid UTF-8 and not blank.
func FuzzProfileIdentifier(f *testing.F) {
	for _, s := range []string{"user_id:abc", "email:Jane%40X.io", "user_id:a%2Fb", "%zz", "user_id:caf%E9", "user_id:caf%ED%A0%80",
		"email:%E2%80%8B", "email:%EF%BB%BF", ":v", "t:", strings.Repeat("t", 101) + ":v", "t:" + strings.Repeat("v", 1025),
		"profile_id:prf_1", "user_id:a+b", "user_id:%00", "user_id:" + strings.Repeat("%E9", 400)} {
		f.Add(s)
	}
	store := &askedProfiles{}
	sp, err := idgraph.NewSpaces(idgraph.Space{ID: "shop", AccessTokens: []idgraph.AccessToken{{Token: "tok_shop"}},
		Rules: idgraph.DefaultRules(), Sources: []idgraph.Source{{ID: "web", WriteKey: "wk_web"}}})
	if err != nil {
		f.Fatal(err)
	}
	h := api.New(api.Config{Checker: ready, Spaces: sp, Profiles: store}).Handler()
	f.Fuzz(func(t *testing.T, segment string) {
		u, err := url.Parse("/v1/spaces/shop/collections/users/profiles/" + segment + "/traits")
		if err != nil {
			return // not a URL: net/http refuses it before any handler (api.Listener)
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL, req.RequestURI = u, u.RequestURI()
		req.SetBasicAuth("tok_shop", "")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %s: %d %s", u, rec.Code, rec.Body)
		}
		store.mu.Lock()
		defer store.mu.Unlock()
		for _, id := range store.asked {
			if id.Type == "" || len(id.Type) > idgraph.MaxIDBytes || len(id.Value) > idgraph.MaxIdentifierBytes ||
				!utf8.ValidString(id.String()) || idgraph.Blank(id.Value) {
				t.Fatalf("GET %s asked the store for %.200q", u, id.String())
			}
		}
		store.asked = nil
	})
}
