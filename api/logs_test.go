package api_test

import (
	"context"
	"encoding/base64"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
)

// logs is a fake LogService: it answers the pages it holds and records
// what it was asked.
type logs struct {
	merges      idgraph.LogPage[idgraph.MergeEntry]
	rejections  idgraph.LogPage[idgraph.RejectionEntry]
	corrections idgraph.LogPage[idgraph.Correction]
	err         error

	calls          int
	gotSpace       string
	gotMerges      idgraph.LogQuery
	gotRejections  idgraph.RejectionQuery
	gotCorrections idgraph.CorrectionQuery
}

func (f *logs) Merges(_ context.Context, space string, q idgraph.LogQuery) (idgraph.LogPage[idgraph.MergeEntry], error) {
	f.calls, f.gotSpace, f.gotMerges = f.calls+1, space, q
	return f.merges, f.err
}

func (f *logs) Rejections(_ context.Context, space string, q idgraph.RejectionQuery) (idgraph.LogPage[idgraph.RejectionEntry], error) {
	f.calls, f.gotSpace, f.gotRejections = f.calls+1, space, q
	return f.rejections, f.err
}

func (f *logs) Corrections(_ context.Context, space string, q idgraph.CorrectionQuery) (idgraph.LogPage[idgraph.Correction], error) {
	f.calls, f.gotSpace, f.gotCorrections = f.calls+1, space, q
	return f.corrections, f.err
}

// logsCall sends a GET to target with token, to a server whose logs are f
// (none when f is nil).
func logsCall(t *testing.T, f *logs, target, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	if token != "" {
		req.SetBasicAuth(token, "")
	}
	cfg := api.Config{Spaces: testSpaces(t)}
	if f != nil {
		cfg.Logs = f
	}
	rec := httptest.NewRecorder()
	api.New(cfg).Handler().ServeHTTP(rec, req)
	return rec
}

// fakeLogs holds one entry of each log, and a next page after it.
func fakeLogs() *logs {
	next := &idgraph.LogCursor{At: t0, Key: "k1"}
	return &logs{
		merges: idgraph.LogPage[idgraph.MergeEntry]{Next: next, Entries: []idgraph.MergeEntry{
			{At: t0, ProfileID: "prf_1", MergedProfileID: "prf_2", MessageID: "m2", SourceID: "segkicks", Event: &evB, Identifiers: []idgraph.Identifier{anon, uid}},
			{At: t0, ProfileID: "prf_1", MergedProfileID: "prf_3", MessageID: "rebuild", SourceID: "rebuild", Identifiers: []idgraph.Identifier{}},
		}},
		rejections: idgraph.LogPage[idgraph.RejectionEntry]{Next: next, Entries: []idgraph.RejectionEntry{{
			RejectionRef:  idgraph.RejectionRef{From: anon, To: uid, Rule: "limit:user_id", Detail: "the profile would hold 2 user_id values; the limit is 1", At: t0, Count: 2, Event: evA},
			LastAt:        t0.Add(time.Hour),
			LastMessageID: "m3",
		}}},
		corrections: idgraph.LogPage[idgraph.Correction]{Next: next, Entries: []idgraph.Correction{{
			ID: "cor_1", Kind: idgraph.HistorySplit, At: t0, Actor: "ops", Reason: "kiosk", ProfileID: "prf_1", ProfileIDs: []string{"prf_1", "prf_4"},
			Detail: &idgraph.CorrectionDetail{Cut: []idgraph.CutLink{{A: anon, B: uid, Count: 1}}, Never: []string{"lnk_1"}},
		}}},
	}
}

// TestLogRoutes reads each log with every filter: the store is asked for
// what the query says, the answer has the documented shape, and its next
// token asks for the page after the last entry.
func TestLogRoutes(t *testing.T) {
	doc := openapiDoc(t)
	since, until := t0, t0.Add(24*time.Hour)
	base := idgraph.LogQuery{Since: since, Until: until, Limit: 2}
	const window = "since=2020-01-01T00:00:00Z&until=2020-01-02T00:00:00Z&limit=2"
	tests := []struct {
		route, query string
		got          func(*logs) any
		want         any
	}{
		{"merges", window, func(f *logs) any { return f.gotMerges }, base},
		{"rejections", window + "&rule=manual:never&type=ios.id", func(f *logs) any { return f.gotRejections },
			idgraph.RejectionQuery{LogQuery: base, Rule: idgraph.RuleManualNever, Type: "ios.id"}},
		{"corrections", window + "&kind=split&actor=ops", func(f *logs) any { return f.gotCorrections },
			idgraph.CorrectionQuery{LogQuery: base, Kind: idgraph.HistorySplit, Actor: "ops"}},
	}
	for _, tt := range tests {
		t.Run(tt.route, func(t *testing.T) {
			f := fakeLogs()
			target := "/v1/spaces/alpha/" + tt.route + "?" + tt.query
			rec := logsCall(t, f, target, alphaReadToken)
			if rec.Code != 200 {
				t.Fatalf("status %d, body %s", rec.Code, rec.Body)
			}
			checkAnswer(t, doc, "GET", "/v1/spaces/{space}/"+tt.route, rec)
			if got := tt.got(f); f.gotSpace != "alpha" || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("asked %s for %+v, want alpha for %+v", f.gotSpace, got, tt.want)
			}
			var page struct {
				Data   []map[string]any `json:"data"`
				Cursor struct {
					URL     string `json:"url"`
					HasMore bool   `json:"has_more"`
					Next    string `json:"next"`
				} `json:"cursor"`
			}
			decode(t, rec, &page)
			if len(page.Data) == 0 || !page.Cursor.HasMore || page.Cursor.Next == "" || page.Cursor.URL != target {
				t.Fatalf("answer %s, want the page, more to come, and this request's url", rec.Body)
			}

			rec = logsCall(t, f, target+"&next="+page.Cursor.Next, alphaReadToken)
			if rec.Code != 200 {
				t.Fatalf("the next page: status %d, body %s", rec.Code, rec.Body)
			}
			var after *idgraph.LogCursor
			switch q := tt.got(f).(type) {
			case idgraph.LogQuery:
				after = q.After
			case idgraph.RejectionQuery:
				after = q.After
			case idgraph.CorrectionQuery:
				after = q.After
			}
			if want := (idgraph.LogCursor{At: t0, Key: "k1"}); after == nil || !after.At.Equal(want.At) || after.Key != want.Key {
				t.Errorf("the next page asked after %+v, want %+v", after, want)
			}
		})
	}
}

// TestLogRoutesLastPage: without a next page the cursor says so, and no
// entries are an empty list.
func TestLogRoutesLastPage(t *testing.T) {
	doc := openapiDoc(t)
	for _, route := range []string{"merges", "rejections", "corrections"} {
		rec := logsCall(t, &logs{}, "/v1/spaces/alpha/"+route, alphaToken)
		checkAnswer(t, doc, "GET", "/v1/spaces/{space}/"+route, rec)
		if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, `"data":[]`) || !strings.Contains(body, `"has_more":false,"next":""`) {
			t.Errorf("%s: status %d, body %s; want an empty last page", route, rec.Code, body)
		}
	}
}

// TestLogRoutesRefuseBadParameters: a bad parameter is 400 naming it, and
// the store is not asked.
func TestLogRoutesRefuseBadParameters(t *testing.T) {
	doc := openapiDoc(t)
	emptyCursor := base64.RawURLEncoding.EncodeToString([]byte(`{}`))
	tests := []struct {
		route, query, field string
	}{
		{"merges", "limit=0", "limit"},
		{"merges", "limit=101", "limit"},
		{"rejections", "limit=ten", "limit"},
		{"corrections", "since=yesterday", "since"},
		{"merges", "until=2020-13-01T00:00:00Z", "until"},
		{"merges", "since=2020-01-02T00:00:00Z&until=2020-01-01T00:00:00Z", "until"},
		{"rejections", "since=2020-01-02T00:00:00Z&until=2020-01-02T00:00:00Z", "until"},
		{"merges", "next=%25%25", "next"},
		{"corrections", "next=" + emptyCursor, "next"},
		{"rejections", "rule=limit", "rule"},
		{"rejections", "rule=limit:", "rule"},
		{"rejections", "rule=sometimes", "rule"},
		{"rejections", "type=user_id:u1", "type"},
		{"corrections", "kind=merged", "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.route+"?"+tt.query, func(t *testing.T) {
			f := &logs{}
			rec := logsCall(t, f, "/v1/spaces/alpha/"+tt.route+"?"+tt.query, alphaToken)
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"`+tt.field+`"`) {
				t.Errorf("status %d, body %s; want 400 naming %s", rec.Code, rec.Body, tt.field)
			}
			if f.calls != 0 {
				t.Errorf("the store was asked %d times, want none", f.calls)
			}
			checkAnswer(t, doc, "GET", "/v1/spaces/{space}/"+tt.route, rec)
		})
	}
}

// TestLogRoutesAuthAndErrors: a token opens its own space's logs only;
// without a log service or when the store is down, 503.
func TestLogRoutesAuthAndErrors(t *testing.T) {
	doc := openapiDoc(t)
	tests := []struct {
		name, target, token string
		f                   *logs
		want                int
	}{
		{"no token", "/v1/spaces/alpha/merges", "", &logs{}, 401},
		{"unknown token", "/v1/spaces/alpha/merges", "tok_nobody", &logs{}, 401},
		{"another space", "/v1/spaces/alpha/rejections", betaToken, &logs{}, 404},
		{"admin token", "/v1/spaces/alpha/corrections", alphaAdminToken, &logs{}, 200},
		{"no log service", "/v1/spaces/alpha/merges", alphaToken, nil, 503},
		{"store down", "/v1/spaces/alpha/rejections", alphaToken, &logs{err: idgraph.Errorf(idgraph.EUNAVAILABLE, "neo4j unreachable")}, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := logsCall(t, tt.f, tt.target, tt.token)
			if rec.Code != tt.want {
				t.Errorf("status %d, body %s; want %d", rec.Code, rec.Body, tt.want)
			}
			route := "/v1/spaces/{space}/" + tt.target[strings.LastIndex(tt.target, "/")+1:]
			checkAnswer(t, doc, "GET", route, rec)
		})
	}
}
