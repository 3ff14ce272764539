package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/api"
)

// TestProfileScopes sends every Profile API route with each kind of token
// of space alpha: a read token may read and gets 403 on DELETE, naming the
// scope it lacks, before the store is asked; an admin token (admin implies
// read) and a plain token (both scopes) go through everywhere.
func TestProfileScopes(t *testing.T) {
	spaces := testSpaces(t)
	reads := []string{"/traits", "/external_ids", "/events", "/metadata", "/explain?to=anonymous_id:a1", "/history", "/graph"}
	tokens := []struct {
		name, token string
		admin       bool
	}{
		{"plain token", alphaToken, true},
		{"read token", alphaReadToken, false},
		{"admin token", alphaAdminToken, true},
	}
	for _, tok := range tokens {
		for _, suffix := range reads {
			t.Run(tok.name+" GET "+suffix, func(t *testing.T) {
				store := newProfileStore()
				rec := call(t, store, spaces, "GET", usersPath+"user_id:u1"+suffix, tok.token)
				if rec.Code != http.StatusOK || store.calls == 0 {
					t.Errorf("status %d, store called %d times; want 200 from the store (body %s)", rec.Code, store.calls, rec.Body)
				}
			})
		}
		t.Run(tok.name+" DELETE", func(t *testing.T) {
			store := newProfileStore()
			rec := call(t, store, spaces, "DELETE", usersPath+"user_id:u1", tok.token)
			if tok.admin {
				if rec.Code != http.StatusOK || store.calls == 0 {
					t.Errorf("status %d, store called %d times; want 200 from the store (body %s)", rec.Code, store.calls, rec.Body)
				}
				return
			}
			if rec.Code != http.StatusForbidden {
				t.Fatalf("status %d, want 403 (body %s)", rec.Code, rec.Body)
			}
			var body errorBody
			decode(t, rec, &body)
			if body.Error.Code != "forbidden" || !strings.Contains(body.Error.Message, "admin scope") || !strings.Contains(body.Error.Message, `"support"`) {
				t.Errorf("error = %+v, want code forbidden and a message naming the token and the admin scope", body.Error)
			}
			if strings.Contains(rec.Body.String(), alphaReadToken) {
				t.Errorf("body %s shows the token's secret", rec.Body)
			}
			if store.calls != 0 {
				t.Errorf("store called %d times, want none", store.calls)
			}
		})
	}
}

// TestProfileScopeBeforeService checks that a read token on DELETE learns
// of its missing scope, not of whether the route's service is configured.
func TestProfileScopeBeforeService(t *testing.T) {
	cfg := profileConfig(newProfileStore(), testSpaces(t))
	cfg.Deletion = nil
	for token, want := range map[string]int{alphaReadToken: http.StatusForbidden, alphaAdminToken: http.StatusServiceUnavailable} {
		req := httptest.NewRequest("DELETE", usersPath+"user_id:u1", nil)
		req.SetBasicAuth(token, "")
		rec := httptest.NewRecorder()
		api.New(cfg).Handler().ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("DELETE without a deletion service as %s: status %d, want %d", token, rec.Code, want)
		}
	}
}

// TestMetricsTakesAnyScope checks that /metrics opens to any token of any
// space, whatever its scopes.
func TestMetricsTakesAnyScope(t *testing.T) {
	h := api.New(api.Config{Spaces: testSpaces(t)}).Handler()
	for _, token := range []string{alphaToken, alphaReadToken, alphaAdminToken, betaToken} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.SetBasicAuth(token, "")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("GET /metrics as %s: status %d, want 200", token, rec.Code)
		}
	}
}
