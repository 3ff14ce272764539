package test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestSpaceLogsOverHTTP: the running binary serves a space's merges,
// refused links and corrections from the graph its events and
// corrections wrote.
func TestSpaceLogsOverHTTP(t *testing.T) {
	a := startAPI(t)
	a.send(
		`{"type":"identify","messageId":"e1","userId":"u1","anonymousId":"a1","timestamp":"2024-05-01T10:00:00Z"}`,
		`{"type":"page","name":"Home","messageId":"e2","anonymousId":"a2","timestamp":"2024-05-01T11:00:00Z"}`,
		`{"type":"identify","messageId":"e3","userId":"u1","anonymousId":"a2","timestamp":"2024-05-01T12:00:00Z"}`,
		`{"type":"identify","messageId":"e4","userId":"u2","anonymousId":"a1","timestamp":"2024-05-01T13:00:00Z"}`,
	)
	if code, out := a.do(http.MethodPost, a.profilePath("user_id:u1", "/split"), a.token,
		[]byte(`{"identifiers":["anonymous_id:a2"],"reason":"not the same shopper"}`)); code != http.StatusOK {
		t.Fatalf("split: %d %s", code, out)
	}

	type page struct {
		Data   []map[string]any `json:"data"`
		Cursor struct {
			HasMore bool `json:"has_more"`
		} `json:"cursor"`
	}
	read := func(route string) page {
		t.Helper()
		code, body := a.do(http.MethodGet, "/v1/spaces/"+a.space+"/"+route, a.token, nil)
		var p page
		if code != http.StatusOK || json.Unmarshal(body, &p) != nil {
			t.Fatalf("GET %s: %d %s", route, code, body)
		}
		return p
	}
	str := func(v any) string { b, _ := json.Marshal(v); return string(b) }

	merges := read("merges")
	if len(merges.Data) != 1 || merges.Cursor.HasMore ||
		merges.Data[0]["message_id"] != "e3" || str(merges.Data[0]["identifiers"]) != `[{"type":"anonymous_id","value":"a2"},{"type":"user_id","value":"u1"}]` {
		t.Errorf("merges = %+v, want the one e3 made, bridged by a2 and u1", merges)
	}
	rejections := read("rejections?rule=limit:user_id&type=anonymous_id&limit=5")
	if len(rejections.Data) != 1 || rejections.Data[0]["rule"] != "limit:user_id" || str(rejections.Data[0]["event"]) == "" {
		t.Errorf("rejections = %+v, want the second user id refused on e4", rejections)
	}
	if none := read("rejections?rule=manual:never"); len(none.Data) != 0 {
		t.Errorf("manual:never rejections = %+v, want none", none)
	}
	corrections := read("corrections?kind=split&since=2024-01-01T00:00:00Z")
	if len(corrections.Data) != 1 || corrections.Data[0]["reason"] != "not the same shopper" || corrections.Data[0]["actor"] == "" {
		t.Errorf("corrections = %+v, want the split with its reason and actor", corrections)
	}
	if code, body := a.do(http.MethodGet, "/v1/spaces/"+a.space+"/merges", a.otherToken, nil); code != http.StatusNotFound {
		t.Errorf("another space's token: %d %s, want 404", code, body)
	}
}
