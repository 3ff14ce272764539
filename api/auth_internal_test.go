package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// TestTokenActor checks that a handler behind requireToken and
// requireScope learns its token's name as the actor: the name a named token
// was given, the derived name of a plain one (never its secret).
func TestTokenActor(t *testing.T) {
	spaces, err := idgraph.NewSpaces(idgraph.Space{
		ID: "alpha",
		AccessTokens: []idgraph.AccessToken{
			{Token: "tok_plain"},
			{Name: "ops", Token: "tok_ops", Scopes: []idgraph.Scope{idgraph.ScopeAdmin}},
			{Name: "support", Token: "tok_support", Scopes: []idgraph.Scope{idgraph.ScopeRead}},
		},
		Sources: []idgraph.Source{{ID: "web", WriteKey: "wk_web"}},
		Rules:   idgraph.DefaultRules(),
	})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Spaces: spaces})
	// A correction route as the correction handlers register theirs.
	s.engine.POST("/v1/spaces/:space/correct", s.requireToken, s.requireScope(idgraph.ScopeAdmin), func(c *gin.Context) {
		c.String(http.StatusOK, "%s in %s", tokenActor(c), tokenSpace(c).ID)
	})
	tests := []struct {
		token      string
		wantStatus int
		wantBody   string
	}{
		{"tok_plain", 200, idgraph.DerivedTokenName("tok_plain") + " in alpha"},
		{"tok_ops", 200, "ops in alpha"},
		{"tok_support", 403, ""},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", "/v1/spaces/alpha/correct", nil)
		req.SetBasicAuth(tt.token, "")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d (body %s)", tt.token, rec.Code, tt.wantStatus, rec.Body)
			continue
		}
		if tt.wantBody != "" && rec.Body.String() != tt.wantBody {
			t.Errorf("%s: handler saw %q, want %q", tt.token, rec.Body, tt.wantBody)
		}
	}
}
