package test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// kioskEvents is a kiosk tablet gluing two shoppers: Jane signs in on it,
// then Bob identifies by e-mail on the same tablet in an anonymous session.
var kioskEvents = []string{
	`{"type":"identify","messageId":"k1","userId":"jane","traits":{"email":"jane@x.com","name":"Jane"},"context":{"device":{"id":"kiosk-7","type":"android"}},"timestamp":"2024-05-01T10:00:00Z"}`,
	`{"type":"track","event":"Viewed","messageId":"k2","userId":"jane","context":{"device":{"id":"kiosk-7","type":"android"}},"timestamp":"2024-05-01T10:05:00Z"}`,
	`{"type":"identify","messageId":"k3","anonymousId":"anon-b","traits":{"email":"bob@x.com","name":"Bob"},"context":{"device":{"id":"kiosk-7","type":"android"}},"timestamp":"2024-05-01T11:00:00Z"}`,
	`{"type":"track","event":"Added","messageId":"k4","anonymousId":"anon-b","timestamp":"2024-05-01T11:02:00Z"}`,
}

func (a *api) send(lines ...string) {
	a.t.Helper()
	batch := `{"batch":[` + strings.Join(lines, ",") + `]}`
	if code, body := a.do(http.MethodPost, "/v1/batch", a.kicksKey, []byte(batch)); code != http.StatusOK {
		a.t.Fatalf("POST /v1/batch: %d %s", code, body)
	}
}

// members returns the sorted identifiers of the profile holding id.
func (a *api) members(id string) []string {
	a.t.Helper()
	var res struct {
		Data []struct{ Type, ID string } `json:"data"`
	}
	a.get(id, "external_ids?limit=100", &res)
	var out []string
	for _, x := range res.Data {
		out = append(out, x.Type+":"+x.ID)
	}
	slices.Sort(out)
	return out
}

func (a *api) profilePath(id, route string) string {
	return "/v1/spaces/" + a.space + "/collections/users/profiles/" + url.PathEscape(id) + route
}

// TestKioskSplitOverHTTP: a kiosk profile that glued two shoppers is split
// apart, stays split while the kiosk keeps sending, and history and explain
// tell the story. The space keeps Segment's rules exactly: by default the
// kiosk, seen with two people's e-mails, is found shared and glues no one
// (TestFamilyIPadOverHTTP).
func TestKioskSplitOverHTTP(t *testing.T) {
	a := startAPIWith(t, "", "    segment_compatible: true\n")
	a.send(kioskEvents...)
	if got := a.members("user_id:jane"); !slices.Contains(got, "email:bob@x.com") {
		t.Fatalf("the kiosk did not glue Bob to Jane: %v", got)
	}

	// Preview first: nothing changes.
	body := []byte(`{"apart":["user_id:jane","email:bob@x.com"],"reason":"kiosk tablet shared by shoppers"}`)
	code, out := a.do(http.MethodPost, a.profilePath("user_id:jane", "/split?preview=true"), a.token, body)
	if code != http.StatusOK || !strings.Contains(string(out), `"preview":true`) {
		t.Fatalf("preview: %d %s", code, out)
	}
	if got := a.members("user_id:jane"); !slices.Contains(got, "email:bob@x.com") {
		t.Fatalf("a preview wrote: %v", got)
	}
	code, out = a.do(http.MethodPost, a.profilePath("user_id:jane", "/split"), a.token, body)
	if code != http.StatusOK {
		t.Fatalf("split: %d %s", code, out)
	}
	var plan struct {
		Cut []struct {
			A, B  struct{ Type, Value string }
			Count int
		} `json:"cut"`
		Never []struct{ ID string } `json:"never"`
	}
	if err := json.Unmarshal(out, &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.Cut) != 1 || plan.Cut[0].A.Value != "kiosk-7" || plan.Cut[0].B.Value != "bob@x.com" || len(plan.Never) != 1 {
		t.Fatalf("split answer %s: want the one kiosk-Bob link cut and one never decision", out)
	}
	janeWant := []string{"android.id:kiosk-7", "email:jane@x.com", "user_id:jane"}
	bobWant := []string{"anonymous_id:anon-b", "email:bob@x.com"}
	if got := a.members("user_id:jane"); !slices.Equal(got, janeWant) {
		t.Errorf("Jane after the split: %v, want %v", got, janeWant)
	}
	if got := a.members("email:bob@x.com"); !slices.Equal(got, bobWant) {
		t.Errorf("Bob after the split: %v, want %v", got, bobWant)
	}

	// The kiosk keeps sending: Bob again on the tablet, Jane again.
	for i := range 3 {
		a.send(
			fmt.Sprintf(`{"type":"identify","messageId":"later-b%d","anonymousId":"anon-b","traits":{"email":"bob@x.com"},"context":{"device":{"id":"kiosk-7","type":"android"}},"timestamp":"2024-05-02T1%d:00:00Z"}`, i, i),
			fmt.Sprintf(`{"type":"track","event":"Viewed","messageId":"later-j%d","userId":"jane","context":{"device":{"id":"kiosk-7","type":"android"}},"timestamp":"2024-05-02T1%d:30:00Z"}`, i, i),
		)
	}
	if got := a.members("email:bob@x.com"); !slices.Equal(got, bobWant) {
		t.Errorf("Bob after the kiosk kept sending: %v, want %v", got, bobWant)
	}
	if got := a.members("user_id:jane"); !slices.Equal(got, janeWant) {
		t.Errorf("Jane after the kiosk kept sending: %v, want %v", got, janeWant)
	}

	// Explain says why they are apart: the never decision.
	var x struct {
		Together   bool   `json:"together"`
		Summary    string `json:"summary"`
		Rejections []struct {
			Rule string `json:"rule"`
		} `json:"rejections"`
	}
	a.get("user_id:jane", "explain?to="+url.QueryEscape("email:bob@x.com"), &x)
	if x.Together || !slices.ContainsFunc(x.Rejections, func(r struct {
		Rule string `json:"rule"`
	}) bool {
		return r.Rule == "manual:never"
	}) || !strings.Contains(x.Summary, "never") {
		t.Errorf("explain = %+v, want apart by the manual:never decision, in words", x)
	}

	// History tells the split.
	var h struct {
		Data []struct {
			Kind  string `json:"kind"`
			Actor string `json:"actor"`
		} `json:"data"`
	}
	a.get("user_id:jane", "history", &h)
	if !slices.ContainsFunc(h.Data, func(e struct {
		Kind  string `json:"kind"`
		Actor string `json:"actor"`
	}) bool {
		return e.Kind == "split" && e.Actor != ""
	}) {
		t.Errorf("Jane's history %+v has no split entry with its actor", h.Data)
	}

	// The decision is listed, and check is clean.
	code, out = a.do(http.MethodGet, "/v1/spaces/"+a.space+"/links?identifier="+url.QueryEscape("user_id:jane"), a.token, nil)
	if code != http.StatusOK || !strings.Contains(string(out), plan.Never[0].ID) {
		t.Errorf("GET links: %d %s, want the never decision", code, out)
	}
}
