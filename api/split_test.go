package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
)

// corrections is a fake CorrectionService: it keeps the last split it was
// asked for and plans it with the domain on a fixed two-identifier profile.
type corrections struct {
	got     idgraph.Split
	preview bool
	actor   string
	err     error
}

func (f *corrections) Split(_ context.Context, space idgraph.Space, id idgraph.Identifier, s idgraph.Split, actor string, preview bool) (idgraph.SplitPlan, error) {
	f.got, f.preview, f.actor = s, preview, actor
	if f.err != nil {
		return idgraph.SplitPlan{}, f.err
	}
	a, b := idgraph.Identifier{Type: "user_id", Value: "u1"}, idgraph.Identifier{Type: "anonymous_id", Value: "a1"}
	in := idgraph.SplitInput{
		Profile: idgraph.Profile{ID: "prf_1", Identifiers: []idgraph.Sighting{{Identifier: a}, {Identifier: b}}},
		Edges:   []idgraph.Edge{{A: b, B: a, Count: 1}},
	}
	return idgraph.PlanSplit(in, s, space.Rules, actor, t0, func() string { return "prf_2" })
}

func (f *corrections) Remove(_ context.Context, space idgraph.Space, profile, id idgraph.Identifier, reason, actor string, suppress bool) (idgraph.Removal, error) {
	f.actor = actor
	if f.err != nil {
		return idgraph.Removal{}, f.err
	}
	a, b := idgraph.Identifier{Type: "user_id", Value: "u1"}, idgraph.Identifier{Type: "anonymous_id", Value: "a1"}
	in := idgraph.SplitInput{
		Profile: idgraph.Profile{ID: "prf_1", Identifiers: []idgraph.Sighting{{Identifier: a}, {Identifier: b}}},
		Edges:   []idgraph.Edge{{A: b, B: a, Count: 1}},
	}
	plan, err := idgraph.PlanRemoval(in, id, reason, space.Rules, actor, t0, func() string { return "prf_2" })
	return idgraph.Removal{Identifier: id, Suppressed: suppress, SplitPlan: plan}, err
}

func splitCall(t *testing.T, f *corrections, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/v1/spaces/alpha/collections/users/profiles/user_id:u1/split"+target, strings.NewReader(body))
	req.SetBasicAuth(alphaToken, "")
	rec := httptest.NewRecorder()
	api.New(api.Config{Spaces: testSpaces(t), Corrections: f}).Handler().ServeHTTP(rec, req)
	return rec
}

func TestSplitRoute(t *testing.T) {
	doc := openapiDoc(t)
	route := "/v1/spaces/{space}/collections/users/profiles/{id}/split"
	f := &corrections{}
	rec := splitCall(t, f, "?preview=true", `{"apart":["user_id:u1","anonymous_id:a1"],"reason":"two people"}`)
	if rec.Code != 200 {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
	checkAnswer(t, doc, "POST", route, rec)
	if !f.preview || len(f.got.Apart) != 2 || f.got.Reason != "two people" || f.got.Forget || f.actor == "" {
		t.Errorf("the service got %+v (preview %v, actor %q), want the apart split, previewed, remembered, with an actor", f.got, f.preview, f.actor)
	}
	var res struct {
		Preview bool `json:"preview"`
		Parts   []struct {
			ProfileID string `json:"profile_id"`
			Kept      bool   `json:"kept"`
		} `json:"parts"`
		Cut   []map[string]any `json:"cut"`
		Never []map[string]any `json:"never"`
	}
	decode(t, rec, &res)
	if !res.Preview || len(res.Parts) != 2 || !res.Parts[0].Kept || len(res.Cut) != 1 || len(res.Never) != 1 {
		t.Errorf("answer = %+v, want a preview with two parts, one cut link and one never decision", res)
	}

	splitCall(t, f, "", `{"identifiers":["anonymous_id:a1"],"remember":false}`)
	if f.preview || !f.got.Forget || len(f.got.Identifiers) != 1 {
		t.Errorf("the service got %+v (preview %v), want identifiers, forgetting", f.got, f.preview)
	}
}

func TestSplitRouteRefusesBadInput(t *testing.T) {
	doc := openapiDoc(t)
	route := "/v1/spaces/{space}/collections/users/profiles/{id}/split"
	tests := []struct {
		name, target, body string
		err                error
		wantStatus         int
		wantInMsg          string
	}{
		{"no body", "", ``, nil, 400, "body"},
		{"not JSON", "", `{`, nil, 400, "body"},
		{"unknown field", "", `{"apart":["user_id:u1","anonymous_id:a1"],"force":true}`, nil, 400, "force"},
		{"wrong type", "", `{"apart":"user_id:u1"}`, nil, 400, "apart"},
		{"bad identifier", "", `{"identifiers":["nocolon"]}`, nil, 400, "identifiers[0]"},
		{"bad cut end", "", `{"cut":[{"from":"user_id:u1","to":"x"}]}`, nil, 400, "cut[0].to"},
		{"two modes", "", `{"identifiers":["anonymous_id:a1"],"apart":["user_id:u1","anonymous_id:a1"]}`, nil, 400, "exactly one"},
		{"itself", "", `{"apart":["user_id:u1","user_id:u1"]}`, nil, 400, "apart[1]"},
		{"bad preview", "?preview=maybe", `{"apart":["user_id:u1","anonymous_id:a1"]}`, nil, 400, "preview"},
		{"not in the profile", "", `{"identifiers":["user_id:zz"]}`, nil, 409, "user_id:zz"},
		{"moves nothing", "", `{"cut":[{"from":"user_id:u1","to":"anonymous_id:a1"}],"remember":false}`, idgraph.Errorf(idgraph.EINVALID, "split: the split would move no identifier"), 400, "move no identifier"},
		{"unknown profile", "", `{"identifiers":["anonymous_id:a1"]}`, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds user_id:u1"), 404, "user_id:u1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := splitCall(t, &corrections{err: tt.err}, tt.target, tt.body)
			if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), tt.wantInMsg) {
				t.Fatalf("status %d, body %s; want %d naming %q", rec.Code, rec.Body, tt.wantStatus, tt.wantInMsg)
			}
			checkAnswer(t, doc, "POST", route, rec)
		})
	}
}

func TestRemoveIdentifierRoute(t *testing.T) {
	doc := openapiDoc(t)
	route := "/v1/spaces/{space}/collections/users/profiles/{id}/external_ids/{external_id}"
	base := "/v1/spaces/alpha/collections/users/profiles/user_id:u1/external_ids/"
	tests := []struct {
		target     string
		err        error
		wantStatus int
		wantInBody string
	}{
		{"anonymous_id:a1?suppress=true&reason=test", nil, 200, `"suppressed":true`},
		{"anonymous_id:a1", nil, 200, `"kept":true`},
		{"user_id:zz", nil, 409, "user_id:zz"},
		{"nocolon", nil, 400, "external_id"},
		{"anonymous_id:a1?suppress=perhaps", nil, 400, "suppress"},
		{"anonymous_id:a1", idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds user_id:u1"), 404, "user_id:u1"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			req := httptest.NewRequest("DELETE", base+tt.target, nil)
			req.SetBasicAuth(alphaToken, "")
			rec := httptest.NewRecorder()
			api.New(api.Config{Spaces: testSpaces(t), Corrections: &corrections{err: tt.err}}).Handler().ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), tt.wantInBody) {
				t.Fatalf("status %d, body %s; want %d with %q", rec.Code, rec.Body, tt.wantStatus, tt.wantInBody)
			}
			checkAnswer(t, doc, "DELETE", route, rec)
		})
	}
}
