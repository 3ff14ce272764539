package api_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/ingest"
)

// openapiDoc fetches GET /openapi.json from a server and decodes it.
func openapiDoc(t *testing.T) map[string]any {
	t.Helper()
	rec := httptest.NewRecorder()
	api.New(api.Config{}).Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /openapi.json: status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Fatalf("openapi = %q, want an OpenAPI 3 document", v)
	}
	return doc
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// TestOpenAPICoversEveryRoute walks the engine's routes and the document's
// operations both ways: every route is documented with its method, and
// every documented operation is served.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	doc := openapiDoc(t)
	documented := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	engine, ok := api.New(api.Config{}).Handler().(*gin.Engine)
	if !ok {
		t.Fatal("Handler() is not the gin engine: cannot list its routes")
	}
	served := map[string]bool{}
	for _, r := range engine.Routes() {
		served[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	for _, route := range sortedKeys(served) {
		if !documented[route] {
			t.Errorf("route %s is served but not in openapi.json", route)
		}
	}
	for _, route := range sortedKeys(documented) {
		if !served[route] {
			t.Errorf("openapi.json documents %s, which the server does not serve", route)
		}
	}
}

// TestOpenAPIDocumentIsWhole checks that every $ref resolves and every
// operation has an id, a 200 answer and a security requirement.
func TestOpenAPIDocumentIsWhole(t *testing.T) {
	doc := openapiDoc(t)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				if _, err := resolveRef(doc, r); err != nil {
					t.Errorf("%s: %v", path, err)
				}
			}
			for k, x := range v {
				walk(path+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), x)
			}
		}
	}
	walk("", doc)
	schemes := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	for _, name := range []string{"writeKey", "accessToken"} {
		if s, _ := schemes[name].(map[string]any); s["type"] != "http" || s["scheme"] != "basic" {
			t.Errorf("security scheme %s = %v, want HTTP basic", name, schemes[name])
		}
	}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			op := op.(map[string]any)
			if op["operationId"] == nil || op["security"] == nil {
				t.Errorf("%s %s has no operationId or security", method, path)
			}
			if _, ok := op["responses"].(map[string]any)["200"]; !ok {
				t.Errorf("%s %s documents no 200 answer", method, path)
			}
			if strings.HasPrefix(path, "/v1/spaces/") && !strings.Contains(fmt.Sprint(op["security"]), "accessToken") {
				t.Errorf("%s %s is not secured by accessToken", method, path)
			}
		}
	}
}

// TestOpenAPIDescribesTheAnswers sends requests to every Profile API and
// operations route, with a fake store, and validates each answer (success
// and errors alike) against the schema the document gives for its route
// and status; an undocumented status or field fails.
func TestOpenAPIDescribesTheAnswers(t *testing.T) {
	doc := openapiDoc(t)
	spaces := testSpaces(t)
	base := "/v1/spaces/alpha/collections/users/profiles/"
	// route is the documented path the request is checked against.
	type request struct {
		method, route, target, token string
		want                         int
	}
	tests := []request{
		{"GET", "/healthz", "/healthz", "", 200},
		{"GET", "/readyz", "/readyz", "", 503},
		{"GET", "/openapi.json", "/openapi.json", "", 200},
	}
	profileRoutes := []struct{ method, suffix, query string }{
		{"GET", "/traits", ""}, {"GET", "/traits", "?verbose=true&limit=1"},
		{"GET", "/external_ids", "?limit=1"}, {"GET", "/events", "?limit=1"},
		{"GET", "/metadata", ""}, {"GET", "/explain", "?to=anonymous_id:a1"},
		{"GET", "/history", "?limit=1"}, {"GET", "/graph", ""}, {"DELETE", "", ""},
	}
	for _, r := range profileRoutes {
		route := "/v1/spaces/{space}/collections/users/profiles/{id}" + r.suffix
		tests = append(tests,
			request{r.method, route, base + "user_id:u1" + r.suffix + r.query, alphaToken, 200},
			request{r.method, route, base + "user_id:u1" + r.suffix + r.query, "", 401},
			request{r.method, route, base + "user_id:nobody" + r.suffix + r.query, alphaToken, 404},
			request{r.method, route, base + "nocolon" + r.suffix + r.query, alphaToken, 400},
		)
	}
	tests = append(tests,
		request{"DELETE", "/v1/spaces/{space}/collections/users/profiles/{id}", base + "user_id:u1", alphaReadToken, 403},
		request{"GET", "/v1/spaces/{space}/collections/users/profiles/{id}/events", base + "user_id:u1/events?limit=0", alphaToken, 400},
		request{"GET", "/v1/spaces/{space}/collections/users/profiles/{id}/explain", base + "user_id:u1/explain", alphaToken, 400},
	)
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s %d", tt.method, tt.target, tt.want), func(t *testing.T) {
			rec := call(t, newProfileStore(), spaces, tt.method, tt.target, tt.token)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d (body %s)", rec.Code, tt.want, rec.Body)
			}
			checkAnswer(t, doc, tt.method, tt.route, rec)
		})
	}
}

// TestOpenAPIDescribesIngestion does the same for the Tracking API, with a
// writer over a fake store.
func TestOpenAPIDescribesIngestion(t *testing.T) {
	doc := openapiDoc(t)
	spaces := testSpaces(t)
	store := newProfileStore()
	writer := ingest.NewWriter(store, ingest.WriterOptions{MaxWait: -1})
	event := `{"messageId":"m1","userId":"u1","event":"x","timestamp":"2020-01-01T00:00:00Z"}`
	tests := []struct {
		name, route, body, key, encoding string
		writer                           api.EventWriter // nil: no writer at all, not a nil *ingest.Writer
		want                             int
	}{
		{"identify", "/v1/identify", event, "wk_alpha", "", writer, 200},
		{"track", "/v1/track", event, "wk_alpha", "", writer, 200},
		{"page", "/v1/page", event, "wk_alpha", "", writer, 200},
		{"screen", "/v1/screen", event, "wk_alpha", "", writer, 200},
		{"group", "/v1/group", `{"messageId":"m1","userId":"u1","groupId":"g1"}`, "wk_alpha", "", writer, 200},
		{"alias", "/v1/alias", `{"messageId":"m1","userId":"u1","previousId":"a1"}`, "wk_alpha", "", writer, 200},
		{"batch with an invalid event", "/v1/batch", `{"batch":[{"type":"track","messageId":"m1","userId":"u1","event":"x"},{"type":"nope"}]}`, "wk_alpha", "", writer, 200},
		{"event over 32 KB", "/v1/track", `{"messageId":"m1","userId":"u1","event":"` + strings.Repeat("x", 33<<10) + `"}`, "wk_alpha", "", writer, 400},
		{"import", "/v1/import", `{"batch":[{"type":"identify","messageId":"m2","userId":"u1"}]}`, "wk_alpha", "", writer, 200},
		{"no key", "/v1/track", event, "", "", writer, 401},
		{"invalid JSON", "/v1/track", `{"messageId":`, "wk_alpha", "", writer, 400},
		{"batch over 500 KB", "/v1/batch", `{"batch":[],"pad":"` + strings.Repeat("x", 501<<10) + `"}`, "wk_alpha", "", writer, 413},
		{"unknown encoding", "/v1/batch", `{"batch":[]}`, "wk_alpha", "br", writer, 415},
		{"no writer", "/v1/identify", event, "wk_alpha", "", nil, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", tt.route, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			if tt.key != "" {
				req.SetBasicAuth(tt.key, "")
			}
			if tt.encoding != "" {
				req.Header.Set("Content-Encoding", tt.encoding)
			}
			rec := httptest.NewRecorder()
			api.New(api.Config{Spaces: spaces, Writer: tt.writer}).Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d (body %s)", rec.Code, tt.want, rec.Body)
			}
			checkAnswer(t, doc, "POST", tt.route, rec)
			if strings.Contains(tt.name, "invalid event") {
				for _, field := range []string{"invalid", "rejected"} {
					if !strings.Contains(rec.Body.String(), `"`+field+`":[{"index":1,`) {
						t.Errorf("body %s does not list the invalid event in %s, so its schema went unchecked", rec.Body, field)
					}
				}
			}
		})
	}
}

// TestOpenAPIDeprecatesRejected checks that the ingestion answer documents
// invalid, and rejected as its deprecated alias of the same shape.
func TestOpenAPIDeprecatesRejected(t *testing.T) {
	doc := openapiDoc(t)
	schema, err := resolveRef(doc, "#/components/schemas/IngestResponse")
	if err != nil {
		t.Fatal(err)
	}
	props, _ := schema.(map[string]any)["properties"].(map[string]any)
	invalid, _ := props["invalid"].(map[string]any)
	rejected, _ := props["rejected"].(map[string]any)
	if invalid == nil || rejected == nil {
		t.Fatalf("IngestResponse properties %v, want invalid and rejected", sortedKeys(props))
	}
	if invalid["deprecated"] == true {
		t.Error("invalid is marked deprecated, want only rejected to be")
	}
	if rejected["deprecated"] != true {
		t.Error("rejected is not marked deprecated")
	}
	if fmt.Sprint(invalid["items"]) != fmt.Sprint(rejected["items"]) {
		t.Errorf("rejected items %v, want the same as invalid's %v", rejected["items"], invalid["items"])
	}
}

// checkAnswer validates a recorded answer against what the document says
// of the route's status: that status must be documented, with a JSON body
// of its schema.
func checkAnswer(t *testing.T, doc map[string]any, method, route string, rec *httptest.ResponseRecorder) {
	t.Helper()
	op, _ := doc["paths"].(map[string]any)[route].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if op == nil {
		t.Fatalf("%s %s is not documented", method, route)
	}
	resp, ok := op["responses"].(map[string]any)[fmt.Sprint(rec.Code)]
	if !ok {
		t.Fatalf("status %d of %s %s is not documented", rec.Code, method, route)
	}
	r, err := resolveRef(doc, resp)
	if err != nil {
		t.Fatal(err)
	}
	media, _ := r.(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)
	if media == nil {
		t.Fatalf("status %d of %s %s has no application/json content", rec.Code, method, route)
	}
	var body any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	for _, p := range validate(doc, media["schema"], body, "body") {
		t.Error(p)
	}
}

// resolveRef follows a local $ref ("#/components/...") of v, if it has one.
func resolveRef(doc map[string]any, v any) (any, error) {
	for range 10 {
		var ref string
		switch v := v.(type) {
		case string:
			ref = v
		case map[string]any:
			ref, _ = v["$ref"].(string)
		}
		if ref == "" {
			return v, nil
		}
		if !strings.HasPrefix(ref, "#/") {
			return nil, fmt.Errorf("$ref %q is not local", ref)
		}
		var cur any = doc
		for _, part := range strings.Split(ref[2:], "/") {
			m, _ := cur.(map[string]any)
			if cur = m[part]; cur == nil {
				return nil, fmt.Errorf("$ref %q does not resolve", ref)
			}
		}
		v = cur
	}
	return nil, fmt.Errorf("$ref chain too long")
}

// validate checks a decoded JSON value against the subset of OpenAPI 3.0
// schemas the document uses ($ref, allOf, nullable, type, enum, date-time,
// properties, required, additionalProperties, items) and returns every
// problem.
func validate(doc map[string]any, schema, v any, path string) []string {
	s, err := resolveRef(doc, schema)
	if err != nil {
		return []string{path + ": " + err.Error()}
	}
	sm, _ := s.(map[string]any)
	if v == nil {
		if sm["nullable"] == true || sm["type"] == nil && sm["allOf"] == nil {
			return nil
		}
		return []string{path + ": null, which the schema does not allow"}
	}
	var ps []string
	for _, sub := range asList(sm["allOf"]) {
		ps = append(ps, validate(doc, sub, v, path)...)
	}
	if enum := asList(sm["enum"]); enum != nil && !slices.Contains(enum, v) {
		ps = append(ps, fmt.Sprintf("%s: %v is not one of %v", path, v, enum))
	}
	switch sm["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return append(ps, fmt.Sprintf("%s: want an object, got %T", path, v))
		}
		props, _ := sm["properties"].(map[string]any)
		for _, r := range asList(sm["required"]) {
			if _, ok := m[r.(string)]; !ok {
				ps = append(ps, fmt.Sprintf("%s: required field %s is missing", path, r))
			}
		}
		for _, k := range sortedKeys(m) {
			if p, ok := props[k]; ok {
				ps = append(ps, validate(doc, p, m[k], path+"."+k)...)
				continue
			}
			switch extra := sm["additionalProperties"].(type) {
			case bool:
				if !extra {
					ps = append(ps, fmt.Sprintf("%s: field %s is not documented", path, k))
				}
			case map[string]any:
				ps = append(ps, validate(doc, extra, m[k], path+"."+k)...)
			}
		}
	case "array":
		l, ok := v.([]any)
		if !ok {
			return append(ps, fmt.Sprintf("%s: want an array, got %T", path, v))
		}
		for i, x := range l {
			ps = append(ps, validate(doc, sm["items"], x, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return append(ps, fmt.Sprintf("%s: want a string, got %T", path, v))
		}
		if sm["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
				ps = append(ps, fmt.Sprintf("%s: %q is not a date-time", path, str))
			}
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			ps = append(ps, fmt.Sprintf("%s: want an integer, got %v", path, v))
		}
	case "number":
		if _, ok := v.(float64); !ok {
			ps = append(ps, fmt.Sprintf("%s: want a number, got %T", path, v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			ps = append(ps, fmt.Sprintf("%s: want a boolean, got %T", path, v))
		}
	}
	return ps
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestValidateCatchesDrift makes sure the validator above fails what it
// should, so a passing TestOpenAPIDescribesTheAnswers means something.
func TestValidateCatchesDrift(t *testing.T) {
	doc := openapiDoc(t)
	cursor := map[string]any{"url": "/x", "has_more": false, "next": ""}
	tests := []struct {
		name   string
		schema string
		value  any
		want   string
	}{
		{"undocumented field", "Cursor", map[string]any{"url": "/x", "has_more": false, "next": "", "page": 2.0}, "field page is not documented"},
		{"missing field", "Cursor", map[string]any{"url": "/x", "has_more": false}, "required field next is missing"},
		{"wrong type", "Cursor", map[string]any{"url": "/x", "has_more": "no", "next": ""}, "want a boolean"},
		{"bad time", "EventRef", map[string]any{"message_id": "m", "type": "track", "source_id": "s", "timestamp": "noon"}, "not a date-time"},
		{"not in enum", "HistoryEntry", map[string]any{"at": "2020-01-01T00:00:00Z", "kind": "grew", "profile_id": "p"}, "is not one of"},
		{"nested item", "EventsResponse", map[string]any{"data": []any{map[string]any{"message_id": 1.0}}, "cursor": cursor}, "body.data[0].message_id: want a string"},
		{"null where not nullable", "Metadata", map[string]any{"created_at": nil}, "body.created_at: null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := validate(doc, "#/components/schemas/"+tt.schema, tt.value, "body")
			if !strings.Contains(strings.Join(ps, "\n"), tt.want) {
				t.Errorf("problems %q, want one containing %q", ps, tt.want)
			}
		})
	}
}
