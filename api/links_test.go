package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
)

// links is a fake LinkService over a slice of decisions.
type links struct {
	decisions []idgraph.LinkDecision
	split     bool
	err       error
}

func (f *links) Link(_ context.Context, _ idgraph.Space, d idgraph.LinkDecision, split bool) (idgraph.LinkResult, error) {
	f.split = split
	if f.err != nil {
		return idgraph.LinkResult{}, f.err
	}
	for _, old := range f.decisions {
		if old.A == d.A && old.B == d.B {
			return idgraph.LinkResult{Decision: old}, nil
		}
	}
	f.decisions = append(f.decisions, d)
	return idgraph.LinkResult{Decision: d, Created: true}, nil
}

func (f *links) Links(_ context.Context, _ string, about *idgraph.Identifier, after *idgraph.LinkCursor, limit int) ([]idgraph.LinkDecision, error) {
	var out []idgraph.LinkDecision
	past := after == nil
	for _, d := range f.decisions {
		if !past {
			past = d.ID == after.ID
			continue
		}
		if about != nil && d.A != *about && d.B != *about {
			continue
		}
		out = append(out, d)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (f *links) Unlink(_ context.Context, _, id, _ string) (idgraph.LinkDecision, error) {
	for i, d := range f.decisions {
		if d.ID == id {
			f.decisions = append(f.decisions[:i], f.decisions[i+1:]...)
			return d, nil
		}
	}
	return idgraph.LinkDecision{}, idgraph.Errorf(idgraph.ENOTFOUND, "no link decision %q", id)
}

func linksCall(t *testing.T, f *links, method, target, body, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if token != "" {
		req.SetBasicAuth(token, "")
	}
	rec := httptest.NewRecorder()
	api.New(api.Config{Spaces: testSpaces(t), Links: f}).Handler().ServeHTTP(rec, req)
	return rec
}

func TestLinkRoutes(t *testing.T) {
	doc := openapiDoc(t)
	f := &links{}
	const base = "/v1/spaces/alpha/links"
	const route = "/v1/spaces/{space}/links"
	rec := linksCall(t, f, "PUT", base, `{"a":"user_id:u1","b":"anonymous_id:a1","decision":"never","reason":"two people","split":true}`, alphaToken)
	if rec.Code != 201 || !f.split {
		t.Fatalf("PUT: status %d (split passed %v), body %s; want 201", rec.Code, f.split, rec.Body)
	}
	checkAnswer(t, doc, "PUT", route, rec)
	rec = linksCall(t, f, "PUT", base, `{"a":"anonymous_id:a1","b":"user_id:u1","decision":"never"}`, alphaToken)
	if rec.Code != 200 {
		t.Errorf("the same decision again: status %d, want 200", rec.Code)
	}
	checkAnswer(t, doc, "PUT", route, rec)
	linksCall(t, f, "PUT", base, `{"a":"user_id:u2","b":"anonymous_id:a2","decision":"always"}`, alphaToken)

	var page struct {
		Data   []idgraph.LinkDecision `json:"data"`
		Cursor struct {
			HasMore bool   `json:"has_more"`
			Next    string `json:"next"`
		} `json:"cursor"`
	}
	rec = linksCall(t, f, "GET", base+"?identifier=user_id:u1", "", alphaToken)
	checkAnswer(t, doc, "GET", route, rec)
	decode(t, rec, &page)
	if len(page.Data) != 1 || page.Data[0].Decision != "never" || page.Data[0].Reason != "two people" || page.Data[0].Actor == "" {
		t.Errorf("GET ?identifier=user_id:u1 = %+v, want the never decision with its reason and actor", page.Data)
	}
	rec = linksCall(t, f, "GET", base+"?limit=1", "", alphaToken)
	decode(t, rec, &page)
	if len(page.Data) != 1 || !page.Cursor.HasMore {
		t.Fatalf("GET ?limit=1 = %+v, want one decision and more", page)
	}
	rec = linksCall(t, f, "GET", base+"?limit=1&next="+page.Cursor.Next, "", alphaToken)
	decode(t, rec, &page)
	if len(page.Data) != 1 || page.Cursor.HasMore {
		t.Errorf("the second page = %+v, want the last decision", page)
	}

	id := f.decisions[0].ID
	rec = linksCall(t, f, "DELETE", base+"/"+id, "", alphaToken)
	if rec.Code != 200 || len(f.decisions) != 1 {
		t.Errorf("DELETE: status %d, %d left; want 200 and one left", rec.Code, len(f.decisions))
	}
	checkAnswer(t, doc, "DELETE", route+"/{link_id}", rec)
	rec = linksCall(t, f, "DELETE", base+"/"+id, "", alphaToken)
	if rec.Code != 404 {
		t.Errorf("DELETE twice: status %d, want 404", rec.Code)
	}
	checkAnswer(t, doc, "DELETE", route+"/{link_id}", rec)
}

func TestLinkRoutesRefuseBadInput(t *testing.T) {
	doc := openapiDoc(t)
	const route = "/v1/spaces/{space}/links"
	tests := []struct {
		name, method, target, body, token string
		err                               error
		wantStatus                        int
		wantInMsg                         string
	}{
		{"no token", "PUT", "/v1/spaces/alpha/links", `{}`, "", nil, 401, "access token"},
		{"another space", "GET", "/v1/spaces/beta/links", ``, alphaToken, nil, 404, ""},
		{"missing fields", "PUT", "/v1/spaces/alpha/links", `{}`, alphaToken, nil, 400, `"field":"decision"`},
		{"itself", "PUT", "/v1/spaces/alpha/links", `{"a":"user_id:u1","b":"user_id:u1","decision":"never"}`, alphaToken, nil, 400, `"field":"b"`},
		{"bad decision", "PUT", "/v1/spaces/alpha/links", `{"a":"user_id:u1","b":"user_id:u2","decision":"sometimes"}`, alphaToken, nil, 400, "sometimes"},
		{"bad identifier", "PUT", "/v1/spaces/alpha/links", `{"a":"u1","b":"user_id:u2","decision":"never"}`, alphaToken, nil, 400, `"field":"a"`},
		{"unknown field", "PUT", "/v1/spaces/alpha/links", `{"a":"user_id:u1","b":"user_id:u2","decision":"never","why":"x"}`, alphaToken, nil, 400, "why"},
		{"contradiction", "PUT", "/v1/spaces/alpha/links", `{"a":"user_id:u1","b":"anonymous_id:a1","decision":"always"}`, alphaToken,
			idgraph.Errorf(idgraph.ECONFLICT, "already have the never decision lnk_1"), 409, "lnk_1"},
		{"bad filter", "GET", "/v1/spaces/alpha/links?identifier=nocolon", ``, alphaToken, nil, 400, "identifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := linksCall(t, &links{err: tt.err}, tt.method, tt.target, tt.body, tt.token)
			if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), tt.wantInMsg) {
				t.Fatalf("status %d, body %s; want %d naming %q", rec.Code, rec.Body, tt.wantStatus, tt.wantInMsg)
			}
			checkAnswer(t, doc, tt.method, route, rec)
		})
	}
}
