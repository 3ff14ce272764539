package test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// familyIPad: a parent logs in on the family iPad; a child browses on it
// anonymously; the child logs in. Each event is its own request, as an SDK
// sends them.
var familyIPad = []string{
	`{"type":"identify","messageId":"mom-1","userId":"mom","anonymousId":"a-mom","traits":{"email":"mom@x.com","name":"Mom"},"context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2024-05-01T10:00:00Z"}`,
	`{"type":"screen","name":"Home","messageId":"mom-2","userId":"mom","anonymousId":"a-mom","context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2024-05-01T10:05:00Z"}`,
	`{"type":"screen","name":"Games","messageId":"kid-1","anonymousId":"a-kid","context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2024-05-02T16:00:00Z"}`,
	`{"type":"track","event":"Game Played","messageId":"kid-2","anonymousId":"a-kid","context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2024-05-02T16:10:00Z"}`,
	`{"type":"identify","messageId":"kid-3","userId":"kid","anonymousId":"a-kid","traits":{"email":"kid@x.com","name":"Kid"},"context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2024-05-02T16:20:00Z"}`,
}

// TestFamilyIPadOverHTTP: the child's anonymous id and events end in the
// child's profile, the parent's profile keeps the parent's, the iPad names
// both profiles instead of silently one, and explain and history say why.
func TestFamilyIPadOverHTTP(t *testing.T) {
	a := startAPI(t)
	for _, l := range familyIPad {
		a.send(l)
	}
	if got, want := a.members("user_id:kid"), []string{"anonymous_id:a-kid", "email:kid@x.com", "user_id:kid"}; !slices.Equal(got, want) {
		t.Errorf("child's profile %v, want %v", got, want)
	}
	if got, want := a.members("user_id:mom"), []string{"anonymous_id:a-mom", "email:mom@x.com", "user_id:mom"}; !slices.Equal(got, want) {
		t.Errorf("parent's profile %v, want %v", got, want)
	}
	var events struct {
		Data []struct {
			MessageID string `json:"message_id"`
		} `json:"data"`
	}
	a.get("user_id:kid", "events?limit=10", &events)
	var got []string
	for _, e := range events.Data {
		got = append(got, e.MessageID)
	}
	slices.Sort(got)
	if want := []string{"kid-1", "kid-2", "kid-3"}; !slices.Equal(got, want) {
		t.Errorf("child's events %v, want %v", got, want)
	}
	var traits struct {
		Traits map[string]any `json:"traits"`
	}
	a.get("user_id:mom", "traits", &traits)
	if traits.Traits["name"] != "Mom" {
		t.Errorf("parent's traits %v, want the parent's name", traits.Traits)
	}

	code, body := a.do(http.MethodGet, a.profilePath("ios.id:ipad-1", "/traits"), a.token, nil)
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || code != http.StatusConflict || e.Error.Code != "conflict" ||
		!strings.Contains(e.Error.Message, "ios.id:ipad-1 is shared (two users logged in behind it: kid, mom, first in event kid-3)") {
		t.Errorf("lookup by the iPad: %d %s, want 409 saying it is shared", code, body)
	}

	var x struct {
		Together bool   `json:"together"`
		Summary  string `json:"summary"`
	}
	a.get("anonymous_id:a-kid", "explain?to=user_id:mom", &x)
	if x.Together || !strings.Contains(x.Summary, "ios.id:ipad-1 is shared (two users logged in behind it") {
		t.Errorf("explain a-kid / mom: together %v, %q: want apart, because the iPad is shared", x.Together, x.Summary)
	}
	a.get("ios.id:ipad-1", "explain?to=user_id:kid", &x)
	if want := "it has not joined identifiers since 2024-05-02T16:20:00Z"; x.Together || !strings.Contains(x.Summary, want) {
		t.Errorf("explain iPad / kid: together %v, %q: want apart, saying %q", x.Together, x.Summary, want)
	}
	var hist struct {
		Data []struct {
			Kind, Actor, Reason string
		} `json:"data"`
	}
	a.get("user_id:mom", "history", &hist)
	if !slices.ContainsFunc(hist.Data, func(h struct{ Kind, Actor, Reason string }) bool {
		return h.Kind == "split" && h.Actor == "idgraph" && strings.Contains(h.Reason, "ios.id:ipad-1 is shared")
	}) {
		t.Errorf("parent's history %+v: want the split by idgraph saying the iPad is shared", hist.Data)
	}
}
