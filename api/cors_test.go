package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/internal/memstore"
)

// corsSpaces: "open" allows any origin on tracking and none on profiles;
// "shop" allows its site on tracking and its support desk on profiles.
func corsSpaces(t *testing.T) *idgraph.Spaces {
	t.Helper()
	sp, err := idgraph.NewSpaces(
		idgraph.Space{ID: "open", Rules: idgraph.DefaultRules(), AccessTokens: []idgraph.AccessToken{{Token: "tok_open"}},
			Sources: []idgraph.Source{{ID: "web", WriteKey: "wk_open"}}},
		idgraph.Space{ID: "shop", Rules: idgraph.DefaultRules(), AccessTokens: []idgraph.AccessToken{{Token: "tok_shop"}},
			Sources: []idgraph.Source{{ID: "web", WriteKey: "wk_shop"}},
			CORS:    idgraph.CORS{Tracking: []string{"https://shop.example"}, Profiles: []string{"https://support.example"}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestCORS(t *testing.T) {
	handler := ingestServer(t, memstore.New(), corsSpaces(t), api.NewMetrics())
	profiles := "/v1/spaces/shop/collections/users/profiles/user_id:u1/traits"
	tests := []struct {
		name, method, path, origin, key, body string
		preflight                             bool
		wantStatus                            int
		wantAllow                             string // Access-Control-Allow-Origin, "" for none
	}{
		{"preflight on track, any origin", "OPTIONS", "/v1/track", "https://blog.example", "", "", true, 204, "https://blog.example"},
		{"preflight on a short path", "OPTIONS", "/v1/t", "https://blog.example", "", "", true, 204, "https://blog.example"},
		{"track from any origin, open space", "POST", "/v1/t", "https://blog.example", "wk_open", `{"userId":"u1","event":"x"}`, false, 200, "https://blog.example"},
		{"track from its site, shop space", "POST", "/v1/track", "https://shop.example", "wk_shop", `{"userId":"u1","event":"x"}`, false, 200, "https://shop.example"},
		{"track from elsewhere, shop space", "POST", "/v1/track", "https://blog.example", "wk_shop", `{"userId":"u1","event":"x"}`, false, 200, ""},
		{"no Origin, no CORS", "POST", "/v1/track", "", "wk_open", `{"userId":"u1","event":"x"}`, false, 200, ""},
		{"profile preflight from support", "OPTIONS", profiles, "https://support.example", "", "", true, 204, "https://support.example"},
		{"profile preflight from elsewhere", "OPTIONS", profiles, "https://blog.example", "", "", true, 405, ""},
		{"profile read from support", "GET", profiles, "https://support.example", "tok_shop", "", false, 503, "https://support.example"},
		{"profile read from the open space's token", "GET", "/v1/spaces/open/collections/users/profiles/user_id:u1/traits", "https://support.example", "tok_open", "", false, 503, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.preflight {
				req.Header.Set("Access-Control-Request-Method", "POST")
				req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
			}
			if tt.key != "" {
				req.SetBasicAuth(tt.key, "")
			}
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d (body %s)", rec.Code, tt.wantStatus, rec.Body)
			}
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != tt.wantAllow {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.wantAllow)
			}
			if tt.preflight && tt.wantStatus == 204 && !strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
				t.Errorf("preflight allows headers %q, want Authorization", rec.Header().Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

// TestShortPaths: analytics.js's short paths write as the long ones do, and
// /v1/m takes its metrics without storing anything.
func TestShortPaths(t *testing.T) {
	store := memstore.New()
	handler := ingestServer(t, store, corsSpaces(t), api.NewMetrics())
	for _, p := range []string{"/v1/i", "/v1/t", "/v1/p", "/v1/s", "/v1/g", "/v1/a"} {
		req := httptest.NewRequest("POST", p, strings.NewReader(`{"userId":"u1","previousId":"a1","event":"x","groupId":"g1","messageId":"`+p+`"}`))
		req.SetBasicAuth("wk_open", "")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("POST %s: %d %s", p, rec.Code, rec.Body)
		}
	}
	req := httptest.NewRequest("POST", "/v1/b", strings.NewReader(`{"batch":[{"type":"track","userId":"u2","event":"x","messageId":"b1"}]}`))
	req.SetBasicAuth("wk_open", "")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("POST /v1/b: %d %s", rec.Code, rec.Body)
	}
	if _, err := store.Profile(t.Context(), "open", idgraph.Identifier{Type: "user_id", Value: "u2"}); err != nil {
		t.Errorf("the batch sent to /v1/b was not written: %v", err)
	}
	rec = httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/m", strings.NewReader(`{"series":[{"type":"Counter","metric":"analytics_js.invoke","value":1}]}`)))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"success":true`) {
		t.Errorf("POST /v1/m: %d %s, want 200", rec.Code, rec.Body)
	}
}
