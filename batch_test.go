package idgraph

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseBatch(t *testing.T) {
	body := `{
		"writeKey": "wk_batch",
		"sentAt": "2019-11-15T10:00:05Z",
		"context": {"library": {"name": "analytics-go", "version": "3.0"}, "app": {"name": "SegKicks"}},
		"integrations": {"All": false, "Google Analytics": {"clientId": "ga-1"}},
		"batch": [
			{"type": "track", "event": "A", "userId": "u", "timestamp": "2019-11-15T10:00:00Z",
			 "context": {"library": {"version": "3.1"}, "ip": "1.2.3.4"}, "integrations": {"All": true}},
			{"type": "track", "userId": "u"},
			"not an event",
			{"type": "identify", "anonymousId": "a", "timestamp": "2019-11-15T10:00:00Z", "sentAt": "2019-11-15T10:00:00Z"},
			{"type": "identify", "userId": "u", "context": "bad"}
		]
	}`
	events, invalid, err := ParseBatch([]byte(body), evReceived)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 {
		t.Fatalf("got %d events, want 2 (invalid: %+v)", len(events), invalid)
	}
	wantInvalid := []InvalidEvent{
		{Index: 1, Problems: Problems{{Field: "event", Message: "track requires event"}}},
		{Index: 2, Problems: Problems{{Field: "batch[2]", Message: "want a JSON object, got a string"}}},
		{Index: 4, Problems: Problems{{Field: "context", Message: "want an object, got a string"}}},
	}
	if !reflect.DeepEqual(invalid, wantInvalid) {
		t.Errorf("invalid = %+v, want %+v", invalid, wantInvalid)
	}

	first, second := events[0], events[1]
	wantContext := map[string]any{
		"library": map[string]any{"name": "analytics-go", "version": "3.1"},
		"app":     map[string]any{"name": "SegKicks"},
		"ip":      "1.2.3.4",
	}
	if !reflect.DeepEqual(first.Context, wantContext) {
		t.Errorf("first event context = %#v, want %#v", first.Context, wantContext)
	}
	wantIntegrations := map[string]any{"All": true, "Google Analytics": map[string]any{"clientId": "ga-1"}}
	if !reflect.DeepEqual(first.Integrations, wantIntegrations) {
		t.Errorf("first event integrations = %#v, want %#v", first.Integrations, wantIntegrations)
	}
	wantContext2 := map[string]any{
		"library": map[string]any{"name": "analytics-go", "version": "3.0"},
		"app":     map[string]any{"name": "SegKicks"},
	}
	if !reflect.DeepEqual(second.Context, wantContext2) {
		t.Errorf("second event context = %#v, want the batch's %#v", second.Context, wantContext2)
	}
	// The batch's sentAt applies to the first event; the second has its own.
	if want := time.Date(2019, 11, 15, 12, 0, 5, 0, time.UTC); !first.Timestamp.Equal(want) {
		t.Errorf("first event Timestamp = %v, want %v (batch sentAt)", first.Timestamp, want)
	}
	if want := evReceived; !second.Timestamp.Equal(want) {
		t.Errorf("second event Timestamp = %v, want %v (own sentAt)", second.Timestamp, want)
	}
	// Events do not share the batch's maps.
	second.Context["app"].(map[string]any)["name"] = "changed"
	if got := first.Context["app"].(map[string]any)["name"]; got != "SegKicks" {
		t.Errorf("changing one event's context changed another's: got %v", got)
	}
}

func TestParseBatchDerivedMessageIDsAreStable(t *testing.T) {
	body := `{"batch": [{"type": "page", "userId": "u"}, {"type": "page", "userId": "v"}], "sentAt": "2019-11-15T10:00:00Z"}`
	a, _, err := ParseBatch([]byte(body), evReceived)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := ParseBatch([]byte(strings.Replace(body, "10:00:00Z", "10:00:09Z", 1)), evReceived.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i].MessageID != b[i].MessageID {
			t.Errorf("event %d: messageId %q on replay, want %q", i, b[i].MessageID, a[i].MessageID)
		}
	}
	if a[0].MessageID == a[1].MessageID {
		t.Errorf("two different events got the same messageId %q", a[0].MessageID)
	}
}

func TestParseBatchInvalid(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		fields []string
		msg    string
	}{
		{"bad JSON", `{"batch": [}`, []string{"body"}, "invalid JSON at byte 12"},
		{"an array", `[{"type": "page", "userId": "u"}]`, []string{"body"}, "want a JSON object, got an array"},
		{"no batch", `{"context": {}}`, []string{"batch"}, "batch: missing"},
		{"batch not an array", `{"batch": {}}`, []string{"batch"}, "batch: want an array, got an object"},
		{"bad batch context and sentAt", `{"batch": [], "context": 1, "sentAt": "x"}`, []string{"context", "sentAt"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, invalid, err := ParseBatch([]byte(tt.body), evReceived)
			if err == nil {
				t.Fatalf("ParseBatch(%s) = %v, %v, want an error", tt.body, events, invalid)
			}
			if got := problemFields(t, err); !slices.Equal(got, tt.fields) {
				t.Errorf("problem fields = %q, want %q (error: %v)", got, tt.fields, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
		})
	}
	events, invalid, err := ParseBatch([]byte(`{"batch": []}`), evReceived)
	if err != nil || len(events) != 0 || len(invalid) != 0 {
		t.Errorf("empty batch: got %v, %v, %v; want nothing and no error", events, invalid, err)
	}
}

func TestParseBatchReportsAnOversizedEventByIndex(t *testing.T) {
	big := `{"type":"track","event":"x","userId":"u1","properties":{"blob":"` + strings.Repeat("b", MaxEventBytes) + `"}}`
	body := `{"batch":[{"type":"track","event":"x","userId":"u1"},` + big + `,{"type":"track","event":"x","userId":"u2"}]}`
	events, invalid, err := ParseBatch([]byte(body), time.Time{})
	if err != nil || len(events) != 2 || len(invalid) != 1 || invalid[0].Index != 1 || invalid[0].Problems[0].Field != "batch[1]" {
		t.Errorf("got %d events, invalid %+v, %v; want events 0 and 2, and 1 invalid as batch[1]", len(events), invalid, err)
	}
}
