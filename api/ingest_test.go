package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/graphtest"
)

const (
	kicksKey = "wk_segkicks"
	runsKey  = "wk_segruns"
)

// ingestSpaces is one space "shop" with the two sources of the seed story.
func ingestSpaces(t *testing.T, space string) *idgraph.Spaces {
	t.Helper()
	sp, err := idgraph.NewSpaces(idgraph.Space{
		ID:           space,
		AccessTokens: []idgraph.AccessToken{{Token: "tok_" + space}},
		Rules:        idgraph.DefaultRules(),
		Sources: []idgraph.Source{
			{ID: "segkicks", Name: "Mobile (segkicks)", WriteKey: kicksKey},
			{ID: "segruns", Name: "Mobile (segruns)", WriteKey: runsKey},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// ingestStore is a fake store for ingestion: it keeps the events it
// committed, by "space/source", and fails every call while down.
type ingestStore struct {
	mu      sync.Mutex
	events  map[string][]idgraph.Event
	seen    map[string]bool
	down    bool
	calls   int
	release chan struct{} // when set, Resolve waits for it to close
}

func newIngestStore() *ingestStore {
	return &ingestStore{events: map[string][]idgraph.Event{}, seen: map[string]bool{}}
}

func (f *ingestStore) Resolve(_ context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	f.mu.Lock()
	f.calls++
	release := f.release
	f.mu.Unlock()
	if release != nil {
		<-release
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return idgraph.BatchResult{}, idgraph.Errorf(idgraph.EUNAVAILABLE, "neo4j unreachable: connection refused")
	}
	var res idgraph.BatchResult
	key := space.ID + "/" + source.ID
	for _, e := range events {
		if f.seen[key+"/"+e.MessageID] {
			res.Duplicates++
			continue
		}
		f.seen[key+"/"+e.MessageID] = true
		f.events[key] = append(f.events[key], e)
		res.Loaded++
	}
	return res, nil
}

func (f *ingestStore) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

// written returns the message ids committed for space/source, in order.
func (f *ingestStore) written(key string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, e := range f.events[key] {
		out = append(out, e.MessageID)
	}
	return out
}

func (f *ingestStore) event(key, messageID string) (idgraph.Event, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.events[key] {
		if e.MessageID == messageID {
			return e, true
		}
	}
	return idgraph.Event{}, false
}

// ingestServer is a server over store, with a Writer that it closes at the
// end of the test.
func ingestServer(t *testing.T, store idgraph.ResolutionService, spaces *idgraph.Spaces, metrics *api.Metrics) http.Handler {
	t.Helper()
	w := ingest.NewWriter(store, ingest.WriterOptions{Observe: metrics.ObserveBatch})
	t.Cleanup(w.Close)
	return api.New(api.Config{Checker: ready, Spaces: spaces, Writer: w, Metrics: metrics}).Handler()
}

// ingestRequest is one request to send.
type ingestRequest struct {
	path        string
	body        []byte
	basic       string // write key sent as the HTTP Basic username
	gzip        bool
	contentType string // "application/json" when empty; "-" for none
	encoding    string // a Content-Encoding to send as is
}

func (r ingestRequest) send(t *testing.T, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	body := r.body
	if r.gzip {
		body = gzipped(t, body)
	}
	req := httptest.NewRequest(http.MethodPost, r.path, bytes.NewReader(body))
	if r.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	if r.encoding != "" {
		req.Header.Set("Content-Encoding", r.encoding)
	}
	switch r.contentType {
	case "":
		req.Header.Set("Content-Type", "application/json")
	case "-":
	default:
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.basic != "" {
		req.SetBasicAuth(r.basic, "")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// jsonOf marshals v, failing t on error.
func jsonOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// trackEvent is a valid track event as a JSON object.
func trackEvent(messageID string) map[string]any {
	return map[string]any{"type": "track", "event": "Clicked", "userId": "u1", "messageId": messageID}
}

// batchOf is a batch body holding items.
func batchOf(t *testing.T, items ...any) []byte {
	t.Helper()
	return jsonOf(t, map[string]any{"batch": items})
}

// invalidAnswer is an invalid event of a batch, as the answer lists it.
type invalidAnswer struct {
	Index  int               `json:"index"`
	Errors []idgraph.Problem `json:"errors"`
}

// ingestAnswer is a decoded answer: success or error.
type ingestAnswer struct {
	Success bool            `json:"success"`
	Invalid []invalidAnswer `json:"invalid"`
	// Rejected is the deprecated alias of Invalid.
	Rejected []invalidAnswer `json:"rejected"`
	Error    struct {
		Code     string            `json:"code"`
		Message  string            `json:"message"`
		Problems []idgraph.Problem `json:"problems"`
	} `json:"error"`
}

func TestIngest(t *testing.T) {
	big := strings.Repeat("x", api.MaxEventBytes)
	bigEvent := trackEvent("big")
	bigEvent["properties"] = map[string]any{"blob": big}
	many := make([]any, api.MaxBatchEvents+1)
	for i := range many {
		many[i] = trackEvent(fmt.Sprintf("m%d", i))
	}
	// A batch of about 600 KB made of events under 32 KB each.
	var heavy []any
	for i := range 30 {
		e := trackEvent(fmt.Sprintf("h%d", i))
		e["properties"] = map[string]any{"blob": strings.Repeat("y", 20<<10)}
		heavy = append(heavy, e)
	}
	// 2 MB of spaces around a valid event: a few KB once gzipped.
	bomb := append(append([]byte(`{"batch": [`), bytes.Repeat([]byte(" "), 2<<20)...), jsonOf(t, trackEvent("b1"))...)
	bomb = append(bomb, "]}"...)

	// An identifier type Neo4j cannot index, and a batch of 100 good events
	// and that one.
	poisoned := trackEvent("p1")
	poisoned["context"] = map[string]any{"externalIds": []any{map[string]any{"id": "x", "type": strings.Repeat("t", 9000)}}}
	var hundred []any
	var hundredIDs []string
	for i := range 100 {
		hundred = append(hundred, trackEvent(fmt.Sprintf("g%d", i)))
		hundredIDs = append(hundredIDs, fmt.Sprintf("g%d", i))
	}

	// withKey is the batch body {"batch": items} with one more member, as
	// written after it.
	withKey := func(items []any, member string) []byte {
		return fmt.Appendf(nil, `{"batch":%s,%s}`, jsonOf(t, items), member)
	}
	huge := trackEvent("huge")
	huge["properties"] = map[string]any{"blob": strings.Repeat("z", 480<<10)}

	const kicks = "shop/segkicks"
	tests := []struct {
		name       string
		req        ingestRequest
		wantStatus int
		wantCode   string   // error code, for errors
		wantInMsg  string   // in the error message
		wantFields []string // the error's problems, by field
		wantHeader map[string]string
		// wantWritten are the message ids committed for shop/segkicks.
		wantWritten []string
		// wantInvalid are the indexes of the batch's invalid events.
		wantInvalid []int
	}{
		{name: "no key",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1"))},
			wantStatus: 401, wantCode: "authentication_error", wantInMsg: "no write key",
			wantHeader: map[string]string{"WWW-Authenticate": `Basic realm="idgraph"`}},
		{name: "wrong key in Basic auth",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: "wk_nope"},
			wantStatus: 401, wantCode: "authentication_error", wantInMsg: "unknown write key"},
		{name: "wrong key in the body",
			req: ingestRequest{path: "/v1/track", body: jsonOf(t, map[string]any{
				"writeKey": "wk_nope", "event": "Clicked", "userId": "u1", "messageId": "e1"})},
			wantStatus: 401, wantCode: "authentication_error", wantInMsg: "unknown write key"},
		{name: "key in the body",
			req: ingestRequest{path: "/v1/track", body: jsonOf(t, map[string]any{
				"writeKey": kicksKey, "event": "Clicked", "userId": "u1", "messageId": "e1"})},
			wantStatus: 200, wantWritten: []string{"e1"}},
		{name: "key in Basic auth",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: kicksKey},
			wantStatus: 200, wantWritten: []string{"e1"}},
		{name: "key in a batch body",
			req: ingestRequest{path: "/v1/batch", body: jsonOf(t, map[string]any{
				"writeKey": kicksKey, "batch": []any{trackEvent("e1"), trackEvent("e2")}})},
			wantStatus: 200, wantWritten: []string{"e1", "e2"}},
		{name: "import is batch",
			req:        ingestRequest{path: "/v1/import", body: batchOf(t, trackEvent("e1")), basic: kicksKey},
			wantStatus: 200, wantWritten: []string{"e1"}},
		{name: "malformed JSON names the byte",
			req:        ingestRequest{path: "/v1/track", body: []byte(`{"userId":"u1",}`), basic: kicksKey},
			wantStatus: 400, wantCode: "invalid_request_error", wantInMsg: "invalid JSON at byte 16"},
		{name: "malformed JSON without Basic auth names the byte",
			req:        ingestRequest{path: "/v1/batch", body: []byte(`{"writeKey":"` + kicksKey + `","batch":[}`)},
			wantStatus: 400, wantCode: "invalid_request_error", wantInMsg: "invalid JSON at byte 36"},
		{name: "empty body",
			req:        ingestRequest{path: "/v1/identify", basic: kicksKey},
			wantStatus: 400, wantCode: "invalid_request_error", wantInMsg: "invalid JSON"},
		{name: "invalid event lists every problem",
			req:        ingestRequest{path: "/v1/track", body: []byte(`{"messageId":"e1","timestamp":"yesterday"}`), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"timestamp", "userId", "event"}},
		{name: "route fixes the type",
			req:        ingestRequest{path: "/v1/alias", body: []byte(`{"type":"track","messageId":"e1","userId":"u1"}`), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"previousId"}},
		{name: "oversized event",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, bigEvent), basic: kicksKey},
			wantStatus: 400, wantCode: "invalid_request_error", wantInMsg: "32 KB"},
		{name: "an oversized event in a batch is invalid, the others written",
			req: ingestRequest{path: "/v1/batch", basic: kicksKey, body: batchOf(t,
				trackEvent("e1"), trackEvent("e2"), trackEvent("e3"), trackEvent("e4"), trackEvent("e5"), bigEvent)},
			wantStatus: 200, wantWritten: []string{"e1", "e2", "e3", "e4", "e5"}, wantInvalid: []int{5}},
		{name: "an identifier type too long to index",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, poisoned), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"context.externalIds[0].type"}, wantInMsg: "at most 100"},
		{name: "a batch of 100 good events and one with a type too long to index",
			req:        ingestRequest{path: "/v1/batch", body: batchOf(t, append(slices.Clone(hundred), poisoned)...), basic: kicksKey},
			wantStatus: 200, wantWritten: hundredIDs, wantInvalid: []int{100}},
		{name: "a number too long written out, refused before it is",
			req:        ingestRequest{path: "/v1/track", body: []byte(`{"event":"x","userId":1e3000000}`), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"userId"}, wantInMsg: "digits written out"},
		{name: "an identifier that is not valid UTF-8",
			req:        ingestRequest{path: "/v1/identify", body: []byte("{\"userId\":\"caf\xe9\",\"messageId\":\"e1\"}"), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"userId"}, wantInMsg: "UTF-8"},
		{name: "an identifier with a lone surrogate, in a batch",
			req: ingestRequest{path: "/v1/batch", basic: kicksKey,
				body: []byte(`{"batch":[{"type":"identify","userId":"caf\ud800","messageId":"e1"},{"type":"identify","userId":"cafe","messageId":"e2"}]}`)},
			wantStatus: 200, wantWritten: []string{"e2"}, wantInvalid: []int{0}},
		{name: "too many events",
			req:        ingestRequest{path: "/v1/batch", body: batchOf(t, many...), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"batch[2500]"}, wantInMsg: "at most 2500"},
		{name: "too many events with a BATCH key besides",
			req:        ingestRequest{path: "/v1/batch", body: withKey(many, `"BATCH":[]`), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"BATCH"}},
		{name: "too many events with a Batch key besides, to import",
			req:        ingestRequest{path: "/v1/import", body: withKey(many, `"Batch":0`), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"Batch"}},
		{name: "a 480 KB event with a BATCH key besides",
			req:        ingestRequest{path: "/v1/batch", body: withKey([]any{huge}, `"BATCH":[]`), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"BATCH"}},
		{name: "a 480 KB event",
			req:        ingestRequest{path: "/v1/batch", body: batchOf(t, huge), basic: kicksKey},
			wantStatus: 200, wantInvalid: []int{0}},
		{name: "an envelope key in another case",
			req:        ingestRequest{path: "/v1/batch", body: []byte(`{"Batch":[{"type":"track","event":"x","userId":"u1"}]}`), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"Batch", "batch"}},
		{name: "the write key twice in the body",
			req: ingestRequest{path: "/v1/batch",
				body: fmt.Appendf(nil, `{"writeKey":%q,"WriteKey":"wk_other","batch":[]}`, kicksKey)},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"WriteKey"}},
		{name: "an event with a key twice",
			req:        ingestRequest{path: "/v1/track", body: []byte(`{"event":"x","userId":"u1","userId":"u2"}`), basic: kicksKey},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"userId"}},
		{name: "a batch's event with a key twice",
			req: ingestRequest{path: "/v1/batch", basic: kicksKey,
				body: []byte(`{"batch":[{"type":"track","event":"x","userId":"u1","messageId":"e1"},{"type":"track","event":"x","userId":"u1","USERID":"u2"}]}`)},
			wantStatus: 200, wantWritten: []string{"e1"}, wantInvalid: []int{1}},
		{name: "oversized batch",
			req:        ingestRequest{path: "/v1/batch", body: batchOf(t, heavy...), basic: kicksKey},
			wantStatus: 413, wantCode: "invalid_request_error", wantInMsg: "500 KB"},
		{name: "gzip bomb",
			req:        ingestRequest{path: "/v1/batch", body: bomb, basic: kicksKey, gzip: true},
			wantStatus: 413, wantCode: "invalid_request_error", wantInMsg: "500 KB"},
		{name: "batch mixing valid and invalid events",
			req: ingestRequest{path: "/v1/batch", basic: kicksKey, body: batchOf(t,
				trackEvent("e1"),
				map[string]any{"type": "track", "messageId": "e2", "event": "Clicked"}, // no user
				trackEvent("e3"),
				"not an event",
				map[string]any{"type": "teleport", "messageId": "e5", "userId": "u1"},
			)},
			wantStatus: 200, wantWritten: []string{"e1", "e3"}, wantInvalid: []int{1, 3, 4}},
		{name: "batch of invalid events only",
			req:        ingestRequest{path: "/v1/batch", basic: kicksKey, body: batchOf(t, map[string]any{"type": "track"})},
			wantStatus: 200, wantInvalid: []int{0}},
		{name: "not a batch",
			req:        ingestRequest{path: "/v1/batch", basic: kicksKey, body: []byte(`{"events":[]}`)},
			wantStatus: 400, wantCode: "validation_error", wantFields: []string{"batch"}},
		{name: "gzip event",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: kicksKey, gzip: true},
			wantStatus: 200, wantWritten: []string{"e1"}},
		{name: "gzip batch",
			req:        ingestRequest{path: "/v1/batch", body: batchOf(t, trackEvent("e1"), trackEvent("e2")), basic: kicksKey, gzip: true},
			wantStatus: 200, wantWritten: []string{"e1", "e2"}},
		{name: "gzip announced but not sent",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: kicksKey, encoding: "gzip"},
			wantStatus: 400, wantCode: "invalid_request_error", wantInMsg: "gzip"},
		{name: "unsupported encoding",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: kicksKey, encoding: "br"},
			wantStatus: 415, wantCode: "invalid_request_error", wantInMsg: "br"},
		{name: "no Content-Type",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: kicksKey, contentType: "-"},
			wantStatus: 200, wantWritten: []string{"e1"}},
		{name: "JSON with a charset",
			req:        ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: kicksKey, contentType: "application/json; charset=utf-8"},
			wantStatus: 200, wantWritten: []string{"e1"}},
		{name: "text/plain as analytics.js sends it",
			req: ingestRequest{path: "/v1/batch", contentType: "text/plain", body: jsonOf(t, map[string]any{
				"writeKey": kicksKey, "batch": []any{trackEvent("e1")}})},
			wantStatus: 200, wantWritten: []string{"e1"}},
		{name: "a form is not JSON",
			req:        ingestRequest{path: "/v1/track", body: []byte("userId=u1"), basic: kicksKey, contentType: "application/x-www-form-urlencoded"},
			wantStatus: 400, wantCode: "invalid_request_error", wantInMsg: "application/x-www-form-urlencoded"},
		{name: "gzipped JSON sent as a form, as RudderStack's Node SDK does",
			req: ingestRequest{path: "/v1/batch", body: jsonOf(t, map[string]any{"batch": []any{trackEvent("e1")}}), basic: kicksKey,
				gzip: true, contentType: "application/x-www-form-urlencoded"},
			wantStatus: 200, wantWritten: []string{"e1"}},
		{name: "gzipped JSON without a Content-Encoding",
			req: ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: kicksKey,
				gzip: true, encoding: "identity", contentType: "application/octet-stream"},
			wantStatus: 200, wantWritten: []string{"e1"}},
		{name: "unknown route",
			req:        ingestRequest{path: "/v1/teleport", body: jsonOf(t, trackEvent("e1")), basic: kicksKey},
			wantStatus: 404, wantCode: "not_found", wantInMsg: "/v1/teleport"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newIngestStore()
			h := ingestServer(t, store, ingestSpaces(t, "shop"), api.NewMetrics())
			rec := tt.req.send(t, h)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d (body %s)", rec.Code, tt.wantStatus, rec.Body)
			}
			var got ingestAnswer
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q is not JSON: %v", rec.Body, err)
			}
			for k, want := range tt.wantHeader {
				if v := rec.Header().Get(k); v != want {
					t.Errorf("header %s = %q, want %q", k, v, want)
				}
			}
			if tt.wantStatus == 200 {
				if !got.Success {
					t.Errorf("body %s: want success true", rec.Body)
				}
				var invalid []int
				for _, e := range got.Invalid {
					invalid = append(invalid, e.Index)
					if len(e.Errors) == 0 || e.Errors[0].Field == "" || e.Errors[0].Message == "" {
						t.Errorf("invalid event %d: errors %+v, want each with a field and a message", e.Index, e.Errors)
					}
				}
				if !slices.Equal(invalid, tt.wantInvalid) {
					t.Errorf("invalid indexes %v, want %v (body %s)", invalid, tt.wantInvalid, rec.Body)
				}
				if !reflect.DeepEqual(got.Rejected, got.Invalid) {
					t.Errorf("rejected %+v, want the same as invalid %+v: it is its deprecated alias (body %s)", got.Rejected, got.Invalid, rec.Body)
				}
				if tt.wantInvalid == nil && (strings.Contains(rec.Body.String(), `"invalid"`) || strings.Contains(rec.Body.String(), `"rejected"`)) {
					t.Errorf("body %s lists invalid events, want none", rec.Body)
				}
			} else {
				if got.Error.Code != tt.wantCode {
					t.Errorf("error.code = %q, want %q (body %s)", got.Error.Code, tt.wantCode, rec.Body)
				}
				if !strings.Contains(got.Error.Message, tt.wantInMsg) {
					t.Errorf("error.message = %q, want it to contain %q", got.Error.Message, tt.wantInMsg)
				}
				var fields []string
				for _, p := range got.Error.Problems {
					fields = append(fields, p.Field)
				}
				sort.Strings(fields)
				want := slices.Sorted(slices.Values(tt.wantFields))
				if !slices.Equal(fields, want) {
					t.Errorf("problems on fields %v, want %v (body %s)", fields, want, rec.Body)
				}
				if strings.Contains(rec.Body.String(), kicksKey) {
					t.Errorf("the answer shows the write key: %s", rec.Body)
				}
			}
			if got := store.written(kicks); !slices.Equal(got, tt.wantWritten) {
				t.Errorf("written %v, want %v", got, tt.wantWritten)
			}
		})
	}
}

func TestIngestFixesTheTypeByRoute(t *testing.T) {
	store := newIngestStore()
	h := ingestServer(t, store, ingestSpaces(t, "shop"), api.NewMetrics())
	for _, typ := range []string{"identify", "track", "page", "screen", "group", "alias"} {
		// Every field any type needs; the body claims another type.
		body := jsonOf(t, map[string]any{"type": "page", "messageId": typ, "userId": "u1",
			"previousId": "a1", "groupId": "g1", "event": "Clicked"})
		if rec := (ingestRequest{path: "/v1/" + typ, body: body, basic: kicksKey}).send(t, h); rec.Code != 200 {
			t.Fatalf("/v1/%s: status %d (body %s)", typ, rec.Code, rec.Body)
		}
		e, ok := store.event("shop/segkicks", typ)
		if !ok || e.Type != typ {
			t.Errorf("/v1/%s wrote %+v (found %v), want type %s", typ, e, ok, typ)
		}
	}
}

func TestIngestRoutesBySourceKey(t *testing.T) {
	store := newIngestStore()
	h := ingestServer(t, store, ingestSpaces(t, "shop"), api.NewMetrics())
	for key, id := range map[string]string{kicksKey: "k1", runsKey: "r1"} {
		if rec := (ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent(id)), basic: key}).send(t, h); rec.Code != 200 {
			t.Fatalf("status %d (body %s)", rec.Code, rec.Body)
		}
	}
	if got := store.written("shop/segkicks"); !slices.Equal(got, []string{"k1"}) {
		t.Errorf("segkicks got %v, want [k1]", got)
	}
	if got := store.written("shop/segruns"); !slices.Equal(got, []string{"r1"}) {
		t.Errorf("segruns got %v, want [r1]", got)
	}
}

func TestIngestWhileTheStoreIsDown(t *testing.T) {
	store := newIngestStore()
	h := ingestServer(t, store, ingestSpaces(t, "shop"), api.NewMetrics())
	req := ingestRequest{path: "/v1/batch", basic: kicksKey, body: batchOf(t,
		trackEvent("e1"), map[string]any{"type": "track"}, trackEvent("e2"))}

	store.setDown(true)
	rec := req.send(t, h)
	if rec.Code != 503 {
		t.Fatalf("store down: status %d, want 503 (body %s)", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Retry-After"); got == "" {
		t.Error("503 without Retry-After")
	}
	var down ingestAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &down); err != nil || down.Error.Code != "unavailable" {
		t.Errorf("body %s: want error code unavailable", rec.Body)
	}
	if got := store.written("shop/segkicks"); len(got) != 0 {
		t.Errorf("written %v while down, want nothing", got)
	}

	store.setDown(false)
	rec = req.send(t, h)
	if rec.Code != 200 {
		t.Fatalf("store back: status %d, want 200 (body %s)", rec.Code, rec.Body)
	}
	if got := store.written("shop/segkicks"); !slices.Equal(got, []string{"e1", "e2"}) {
		t.Errorf("written %v after the retry, want [e1 e2]", got)
	}
}

func TestIngestAnswersOnlyOnceCommitted(t *testing.T) {
	store := newIngestStore()
	store.release = make(chan struct{})
	h := ingestServer(t, store, ingestSpaces(t, "shop"), api.NewMetrics())

	done := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		done <- (ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: kicksKey}).send(t, h)
	}()
	select {
	case rec := <-done:
		t.Fatalf("answered %d before the store committed", rec.Code)
	case <-time.After(50 * time.Millisecond):
	}
	close(store.release)
	if rec := <-done; rec.Code != 200 {
		t.Errorf("status %d, want 200 (body %s)", rec.Code, rec.Body)
	}
}

func TestIngestWithoutAWriter(t *testing.T) {
	h := api.New(api.Config{Checker: ready, Spaces: ingestSpaces(t, "shop")}).Handler()
	rec := (ingestRequest{path: "/v1/track", body: jsonOf(t, trackEvent("e1")), basic: kicksKey}).send(t, h)
	if rec.Code != 503 {
		t.Errorf("status %d, want 503 (body %s)", rec.Code, rec.Body)
	}
}

func TestMetrics(t *testing.T) {
	store := newIngestStore()
	m := api.NewMetrics()
	h := ingestServer(t, store, ingestSpaces(t, "shop"), m)
	ingestRequest{path: "/v1/batch", basic: kicksKey, body: batchOf(t,
		trackEvent("e1"), trackEvent("e2"), map[string]any{"type": "track"})}.send(t, h)
	ingestRequest{path: "/v1/track", basic: kicksKey, body: jsonOf(t, trackEvent("e1"))}.send(t, h)
	ingestRequest{path: "/v1/track", basic: "wk_nope", body: jsonOf(t, trackEvent("e1"))}.send(t, h)
	m.ObserveTransaction("resolve events", 30*time.Millisecond, nil)
	m.ObserveTransaction("resolve events", time.Second, idgraph.Errorf(idgraph.EUNAVAILABLE, "down"))
	m.ObserveRetry("resolve events")
	m.ObserveStatement("resolve events", "write_events", 5*time.Millisecond)
	m.ObserveStatement("resolve events", "write_events", 7*time.Millisecond)
	m.ObserveCommit("resolve events", 3*time.Millisecond)

	// Without an access token: 401.
	for _, user := range []string{"", "tok_nope", kicksKey} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if user != "" {
			req.SetBasicAuth(user, "")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("GET /metrics as %q: status %d, want 401", user, rec.Code)
		}
	}
	// With a space's access token, as Prometheus's basic_auth sends it.
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.SetBasicAuth("tok_shop", "")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: status %d (body %s)", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q, want the Prometheus text format", ct)
	}
	body := rec.Body.String()
	lines := map[string]bool{}
	for line := range strings.Lines(body) {
		lines[strings.TrimSuffix(line, "\n")] = true
	}
	for _, want := range []string{
		`idgraph_http_requests_total{method="POST",route="/v1/batch",status="200"} 1`,
		`idgraph_http_requests_total{method="POST",route="/v1/track",status="200"} 1`,
		`idgraph_http_requests_total{method="POST",route="/v1/track",status="401"} 1`,
		`idgraph_http_request_duration_seconds_count{method="POST",route="/v1/track"} 2`,
		`idgraph_events_total{outcome="loaded",source="segkicks",space="shop"} 2`,
		`idgraph_events_total{outcome="duplicate",source="segkicks",space="shop"} 1`,
		`idgraph_events_total{outcome="invalid",source="segkicks",space="shop"} 1`,
		`idgraph_writer_batches_total{result="ok",space="shop"} 2`,
		`idgraph_writer_batch_events_count 2`,
		`idgraph_writer_batch_events_sum 3`,
		`idgraph_merges_total{space="shop"} 0`,
		`idgraph_rejections_total{space="shop"} 0`,
		`idgraph_neo4j_transaction_duration_seconds_count{op="resolve events",result="ok"} 1`,
		`idgraph_neo4j_transaction_duration_seconds_count{op="resolve events",result="unavailable"} 1`,
		`idgraph_neo4j_transaction_retries_total{op="resolve events"} 1`,
		`idgraph_neo4j_statement_duration_seconds_count{op="resolve events",query="write_events"} 2`,
		`idgraph_neo4j_statement_duration_seconds_sum{op="resolve events",query="write_events"} 0.012`,
		`idgraph_neo4j_commit_duration_seconds_count{op="resolve events"} 1`,
	} {
		if !lines[want] {
			t.Errorf("/metrics lacks the line %s", want)
		}
	}
	for _, family := range []string{"go_goroutines", "process_cpu_seconds_total", "idgraph_http_request_duration_seconds_bucket"} {
		if !strings.Contains(body, family) {
			t.Errorf("/metrics lacks %s", family)
		}
	}
	if strings.Contains(body, kicksKey) || strings.Contains(body, "wk_nope") {
		t.Error("/metrics shows a write key")
	}
}

// seedEvents reads the seed story's events, in order, as raw JSON.
func seedEvents(t *testing.T) []json.RawMessage {
	t.Helper()
	files, err := filepath.Glob("../test/testdata/seed/*.ndjson")
	if err != nil || len(files) != 3 {
		t.Fatalf("seed files: %v, %v; want three", files, err)
	}
	sort.Strings(files)
	var out []json.RawMessage
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			if line = strings.TrimSpace(line); line != "" {
				out = append(out, json.RawMessage(line))
			}
		}
	}
	return out
}

// TestIngestSeedStoryIntoNeo4j sends the seed story over HTTP, through the
// real writer and graph store, as SegKicks and SegRuns send it (batches and
// single calls, two write keys), and checks the one profile it makes.
func TestIngestSeedStoryIntoNeo4j(t *testing.T) {
	db := graphtest.Open(t)
	space := graphtest.Space(t)
	store := graph.NewStore(db)
	h := ingestServer(t, store, ingestSpaces(t, space), api.NewMetrics())

	keyOf := func(e json.RawMessage) string {
		var v struct {
			Context struct {
				App struct{ Name string } `json:"app"`
			} `json:"context"`
		}
		if err := json.Unmarshal(e, &v); err != nil {
			t.Fatal(err)
		}
		switch v.Context.App.Name {
		case "SegKicks":
			return kicksKey
		case "SegRuns":
			return runsKey
		}
		t.Fatalf("event %s from no known app", e)
		return ""
	}
	post := func(req ingestRequest) {
		t.Helper()
		if rec := req.send(t, h); rec.Code != 200 || strings.Contains(rec.Body.String(), `"invalid"`) {
			t.Fatalf("POST %s: status %d (body %s), want 200 with no invalid event", req.path, rec.Code, rec.Body)
		}
	}
	events := seedEvents(t)
	if len(events) != 9 {
		t.Fatalf("%d seed events, want 9", len(events))
	}
	// Stage 1, SegKicks on the iPhone: one batch, its key in Basic auth.
	post(ingestRequest{path: "/v1/batch", basic: keyOf(events[0]), body: batchOf(t, anySlice(events[:6])...)})
	// Stage 2, the Android login: a single identify, key in the body.
	var login map[string]any
	if err := json.Unmarshal(events[6], &login); err != nil {
		t.Fatal(err)
	}
	login["writeKey"] = keyOf(events[6])
	post(ingestRequest{path: "/v1/identify", body: jsonOf(t, login)})
	// Stage 3, SegRuns: single calls, gzipped, as the mobile libraries may.
	post(ingestRequest{path: "/v1/identify", basic: keyOf(events[7]), body: events[7], gzip: true})
	post(ingestRequest{path: "/v1/track", basic: keyOf(events[8]), body: events[8], gzip: true})
	// A replay of the first batch changes nothing.
	post(ingestRequest{path: "/v1/import", basic: keyOf(events[0]), body: batchOf(t, anySlice(events[:6])...)})

	ctx := context.Background()
	p, err := store.Profile(ctx, space, idgraph.Identifier{Type: "android.id", Value: "and_1a2b3c4d"})
	if err != nil {
		t.Fatalf("profile of android.id:and_1a2b3c4d: %v", err)
	}
	got := map[string]string{} // identifier -> first source
	for _, s := range p.Identifiers {
		got[s.Identifier.String()] = s.FirstSourceID
	}
	want := map[string]string{
		"user_id:abc123def":        "segkicks",
		"email:jane.doe@gmail.com": "segkicks",
		"ios.id:ios_abc123":        "segkicks",
		"android.id:and_1a2b3c4d":  "segkicks",
		"anonymous_id:anon_123":    "segkicks",
		"anonymous_id:anon_456":    "segkicks",
		"anonymous_id:anon_789":    "segruns",
	}
	if !maps.Equal(got, want) {
		t.Errorf("profile identifiers (with first source) = %v\nwant %v", got, want)
	}
	for id := range want {
		other, err := store.Profile(ctx, space, mustIdentifier(t, id))
		if err != nil || other.ID != p.ID {
			t.Errorf("profile of %s = %q, %v; want the same profile %s", id, other.ID, err, p.ID)
		}
	}
}

func anySlice(events []json.RawMessage) []any {
	out := make([]any, len(events))
	for i, e := range events {
		out[i] = e
	}
	return out
}

func mustIdentifier(t *testing.T, s string) idgraph.Identifier {
	t.Helper()
	id, err := idgraph.ParseIdentifier(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
