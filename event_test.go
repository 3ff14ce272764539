package idgraph

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var evReceived = time.Date(2019, 11, 15, 12, 0, 10, 0, time.UTC)

// problemFields returns the fields named by an EINVALID error, in order.
func problemFields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is a %T, want *Error", err, err)
	}
	if e.Code != EINVALID {
		t.Errorf("code = %q, want %q", e.Code, EINVALID)
	}
	fields := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		fields[i] = p.Field
	}
	return fields
}

func mustParseEvent(t *testing.T, data string) Event {
	t.Helper()
	e, err := ParseEvent([]byte(data), evReceived)
	if err != nil {
		t.Fatalf("ParseEvent(%s): %v", data, err)
	}
	return e
}

func TestParseEventFields(t *testing.T) {
	e := mustParseEvent(t, `{
		"type": "identify",
		"messageId": "m-1",
		"userId": 12345,
		"anonymousId": " anon_1 ",
		"timestamp": "2019-11-15T10:00:00.123Z",
		"context": {"traits": {"email": "ctx@example.com"}, "device": {"id": "d1", "type": "ios"}},
		"integrations": {"All": true},
		"traits": {"email": "jane@example.com", "age": 42, "score": 1.5},
		"properties": {"n": 7},
		"unknownField": {"ignored": true},
		"writeKey": "wk_secret"
	}`)
	checks := []struct {
		name      string
		got, want any
	}{
		{"Type", e.Type, "identify"},
		{"MessageID", e.MessageID, "m-1"},
		{"UserID", e.UserID, "12345"},
		{"AnonymousID", e.AnonymousID, "anon_1"},
		{"Timestamp", e.Timestamp, time.Date(2019, 11, 15, 10, 0, 0, 123e6, time.UTC)},
		{"ReceivedAt", e.ReceivedAt, evReceived},
		{"SentAt", e.SentAt, time.Time{}},
		{"Traits", e.Traits, map[string]any{"email": "jane@example.com", "age": int64(42), "score": 1.5}},
		{"Context.traits", e.Context["traits"], map[string]any{"email": "ctx@example.com"}},
		{"Integrations", e.Integrations, map[string]any{"All": true}},
		{"Properties", e.Properties, map[string]any{"n": int64(7)}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestParseEventNumericIDs(t *testing.T) {
	tests := []struct {
		body string
		want string
	}{
		{`{"type":"track","event":"x","userId":42}`, "42"},
		{`{"type":"track","event":"x","userId":1e3}`, "1000"},
		{`{"type":"track","event":"x","userId":12345678901234567890}`, "12345678901234567890"},
		{`{"type":"track","event":"x","userId":-7}`, "-7"},
		{`{"type":"track","event":"x","userId":2.5}`, "2.5"},
	}
	for _, tt := range tests {
		if got := mustParseEvent(t, tt.body).UserID; got != tt.want {
			t.Errorf("ParseEvent(%s).UserID = %q, want %q", tt.body, got, tt.want)
		}
	}
	e := mustParseEvent(t, `{"type":"group","anonymousId":7,"groupId":99,"messageId":5}`)
	if e.AnonymousID != "7" || e.GroupID != "99" || e.MessageID != "5" {
		t.Errorf("numeric ids: got anonymousId %q groupId %q messageId %q, want 7, 99, 5", e.AnonymousID, e.GroupID, e.MessageID)
	}
}

func TestParseEventInvalid(t *testing.T) {
	long := strings.Repeat("m", MaxMessageIDLength+1)
	tests := []struct {
		name   string
		body   string
		fields []string
		msg    string // a substring of the error, when it matters
	}{
		{"trailing comma", `{"type": "track",}`, []string{"body"}, "invalid JSON at byte 18"},
		{"truncated", `{"type": "track"`, []string{"body"}, "invalid JSON at byte 16"},
		{"trailing data", `{"type": "track"} x`, []string{"body"}, "invalid JSON at byte 19"},
		{"not an object", `[1, 2]`, []string{"body"}, "want a JSON object, got an array"},
		{"missing type", `{"userId": "u"}`, []string{"type"}, "type: missing"},
		{"null type", `{"type": null, "userId": "u"}`, []string{"type"}, "type: missing"},
		{"unknown type", `{"type": "purchase", "userId": "u"}`, []string{"type"}, `unknown type "purchase"`},
		{"type not a string", `{"type": 3, "userId": "u"}`, []string{"type"}, "want a string, got a number"},
		{"no user", `{"type": "identify"}`, []string{"userId"}, "userId or anonymousId is required"},
		{"blank user", `{"type": "identify", "userId": "  ", "anonymousId": ""}`, []string{"userId"}, "userId or anonymousId is required"},
		{"userId of wrong type", `{"type": "identify", "userId": true}`, []string{"userId"}, "want a string or a number, got a boolean"},
		{"alias without previousId", `{"type": "alias", "userId": "u"}`, []string{"previousId"}, "alias requires previousId"},
		{"alias without either", `{"type": "alias", "anonymousId": "a"}`, []string{"previousId", "userId"}, "alias requires userId"},
		{"group without groupId", `{"type": "group", "userId": "u"}`, []string{"groupId"}, "group requires groupId"},
		{"track without event", `{"type": "track", "userId": "u"}`, []string{"event"}, "track requires event"},
		{"track event not a string", `{"type": "track", "userId": "u", "event": {}}`, []string{"event"}, "want a string, got an object"},
		{"long messageId", `{"type": "page", "userId": "u", "messageId": "` + long + `"}`, []string{"messageId"}, "101 characters: at most 100"},
		{"bad timestamp", `{"type": "page", "userId": "u", "timestamp": "yesterday"}`, []string{"timestamp"}, `"yesterday" is not an ISO-8601 time`},
		{"bad sentAt", `{"type": "page", "userId": "u", "sentAt": "2019-13-01T00:00:00Z"}`, []string{"sentAt"}, ""},
		{"bad originalTimestamp", `{"type": "page", "userId": "u", "originalTimestamp": "15/11/2019"}`, []string{"originalTimestamp"}, ""},
		{"bad receivedAt", `{"type": "page", "userId": "u", "receivedAt": "2019-11-15 10:00"}`, []string{"receivedAt"}, ""},
		{"numeric timestamp", `{"type": "page", "userId": "u", "timestamp": 1573812000}`, []string{"timestamp"}, "want an ISO-8601 time string, got a number"},
		{"traits not an object", `{"type": "identify", "userId": "u", "traits": "jane"}`, []string{"traits"}, "traits: want an object, got a string"},
		{"context an array", `{"type": "identify", "userId": "u", "context": []}`, []string{"context"}, "want an object, got an array"},
		{"properties a number", `{"type": "track", "event": "e", "userId": "u", "properties": 1}`, []string{"properties"}, ""},
		{"integrations a boolean", `{"type": "track", "event": "e", "userId": "u", "integrations": true}`, []string{"integrations"}, ""},
		{
			"every problem at once",
			`{"traits": [], "sentAt": "soon", "messageId": "` + long + `"}`,
			[]string{"sentAt", "traits", "type", "messageId", "userId"}, "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseEvent([]byte(tt.body), evReceived)
			if err == nil {
				t.Fatalf("ParseEvent(%s) = %+v, want an error", tt.body, e)
			}
			if got := problemFields(t, err); !slices.Equal(got, tt.fields) {
				t.Errorf("problem fields = %q, want %q (error: %v)", got, tt.fields, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
			if !reflect.DeepEqual(e, Event{}) {
				t.Errorf("event = %+v, want the zero Event on error", e)
			}
		})
	}
}

func TestParseEventValidEdges(t *testing.T) {
	for _, body := range []string{
		`{"type": "page", "anonymousId": "a", "messageId": "` + strings.Repeat("é", MaxMessageIDLength) + `"}`,
		`{"type": "alias", "userId": "u", "previousId": "p"}`,
		`{"type": "screen", "userId": "u", "name": "Home", "traits": null, "context": null, "timestamp": null, "sentAt": ""}`,
		`{"type": "group", "anonymousId": "a", "groupId": "g", "traits": {"email": "info@acme.com"}}`,
	} {
		if _, err := ParseEvent([]byte(body), evReceived); err != nil {
			t.Errorf("ParseEvent(%s): %v, want no error", body, err)
		}
	}
}

func TestParseEventAsUsesTheEndpointType(t *testing.T) {
	e, err := ParseEventAs(EventIdentify, []byte(`{"userId": "u"}`), evReceived)
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != EventIdentify {
		t.Errorf("Type = %q, want %q", e.Type, EventIdentify)
	}
	e, err = ParseEventAs(EventTrack, []byte(`{"type": "identify", "userId": "u", "event": "Bought"}`), evReceived)
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != EventTrack {
		t.Errorf("Type = %q, want %q: the endpoint wins", e.Type, EventTrack)
	}
	if _, err := ParseEventAs(EventTrack, []byte(`{"userId": "u"}`), evReceived); err == nil {
		t.Errorf("track without event through ParseEventAs: no error, want one")
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2019, 11, 15, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2019-11-15T10:00:00Z", want},
		{"2019-11-15T10:00:00.000Z", want},
		{"2019-11-15T10:00:00.123456789Z", want.Add(123456789)},
		{"2019-11-15T12:00:00+02:00", want},
		{"2019-11-15T05:00:00.5-05:00", want.Add(500 * time.Millisecond)},
		{"2019-11-15T12:00:00+0200", want},
		{"2019-11-15T12:00:00+02", want},
		{"2019-11-15", time.Date(2019, 11, 15, 0, 0, 0, 0, time.UTC)},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in)
		if err != nil {
			t.Errorf("parseTime(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, want %v in UTC", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"2019-11-15T10:00:00", "15 Nov 2019", "2019-11-15T25:00:00Z", "1573812000"} {
		if got, err := parseTime(in); err == nil {
			t.Errorf("parseTime(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseEventTimestampCorrection(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	tests := []struct {
		name       string
		fields     string // JSON members added to a page event
		receivedAt time.Time
		timestamp  time.Time
		original   time.Time
		sentAt     time.Time
		received   time.Time
	}{
		{
			// The client's clock is 2h late: it called at 10:00:00 and sent
			// 5s later by its clock; the server got it at 12:00:10.
			name:       "sentAt corrects clock skew",
			fields:     `"timestamp": "2019-11-15T10:00:00Z", "sentAt": "2019-11-15T10:00:05Z"`,
			receivedAt: evReceived,
			timestamp:  at("2019-11-15T12:00:05Z"),
			original:   at("2019-11-15T10:00:00Z"),
			sentAt:     at("2019-11-15T10:00:05Z"),
			received:   evReceived,
		},
		{
			name:       "without sentAt the client time stands",
			fields:     `"timestamp": "2019-11-15T10:00:00+01:00"`,
			receivedAt: evReceived,
			timestamp:  at("2019-11-15T09:00:00Z"),
			original:   at("2019-11-15T09:00:00Z"),
			received:   evReceived,
		},
		{
			name:       "originalTimestamp when timestamp is absent",
			fields:     `"originalTimestamp": "2019-11-15T10:00:00Z", "sentAt": "2019-11-15T10:00:01Z"`,
			receivedAt: evReceived,
			timestamp:  at("2019-11-15T12:00:09Z"),
			original:   at("2019-11-15T10:00:00Z"),
			sentAt:     at("2019-11-15T10:00:01Z"),
			received:   evReceived,
		},
		{
			name:       "timestamp wins over originalTimestamp",
			fields:     `"timestamp": "2019-11-15T10:00:00Z", "originalTimestamp": "2019-11-15T09:00:00Z"`,
			receivedAt: evReceived,
			timestamp:  at("2019-11-15T10:00:00Z"),
			original:   at("2019-11-15T10:00:00Z"),
			received:   evReceived,
		},
		{
			name:       "no client time: receivedAt",
			fields:     `"sentAt": "2019-11-15T10:00:05Z"`,
			receivedAt: evReceived,
			timestamp:  evReceived,
			sentAt:     at("2019-11-15T10:00:05Z"),
			received:   evReceived,
		},
		{
			name:       "the event's own receivedAt (bulk load)",
			fields:     `"timestamp": "2018-01-01T00:00:00Z", "sentAt": "2018-01-01T00:00:02Z", "receivedAt": "2018-01-01T00:00:03.5Z"`,
			receivedAt: evReceived,
			timestamp:  at("2018-01-01T00:00:01.5Z"),
			original:   at("2018-01-01T00:00:00Z"),
			sentAt:     at("2018-01-01T00:00:02Z"),
			received:   at("2018-01-01T00:00:03.5Z"),
		},
		{
			name:       "receivedAt argument in another zone",
			fields:     `"timestamp": "2019-11-15", "sentAt": "2019-11-15T00:00:00Z"`,
			receivedAt: evReceived.In(time.FixedZone("X", 3600)),
			timestamp:  evReceived,
			original:   at("2019-11-15T00:00:00Z"),
			sentAt:     at("2019-11-15T00:00:00Z"),
			received:   evReceived,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"type": "page", "userId": "u", ` + tt.fields + `}`
			e, err := ParseEvent([]byte(body), tt.receivedAt)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name      string
				got, want time.Time
			}{
				{"Timestamp", e.Timestamp, tt.timestamp},
				{"OriginalTimestamp", e.OriginalTimestamp, tt.original},
				{"SentAt", e.SentAt, tt.sentAt},
				{"ReceivedAt", e.ReceivedAt, tt.received},
			} {
				if !c.got.Equal(c.want) {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
				if !c.got.IsZero() && c.got.Location() != time.UTC {
					t.Errorf("%s is in %v, want UTC", c.name, c.got.Location())
				}
			}
		})
	}
}

func TestParseEventZeroReceivedAtMeansNow(t *testing.T) {
	before := time.Now()
	e, err := ParseEvent([]byte(`{"type": "page", "userId": "u"}`), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if e.ReceivedAt.Before(before.Add(-time.Second)) || e.ReceivedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("ReceivedAt = %v, want about now", e.ReceivedAt)
	}
	if !e.Timestamp.Equal(e.ReceivedAt) {
		t.Errorf("Timestamp = %v, want ReceivedAt %v", e.Timestamp, e.ReceivedAt)
	}
}

func TestDerivedMessageID(t *testing.T) {
	msgID := func(body string, receivedAt time.Time) string {
		t.Helper()
		e, err := ParseEvent([]byte(body), receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		return e.MessageID
	}
	base := `{"type": "track", "event": "Bought", "userId": "u1", "properties": {"sku": "A", "price": 10.0}, "timestamp": "2019-11-15T10:00:00Z"}`
	first := msgID(base, evReceived)
	if !strings.HasPrefix(first, "idg-") || len(first) != len("idg-")+32 {
		t.Errorf("derived messageId = %q, want idg- and 32 hex digits", first)
	}
	same := []struct{ name, body string }{
		{"replay of the same bytes", base},
		{"keys reordered", `{"timestamp": "2019-11-15T10:00:00Z", "properties": {"price": 10.0, "sku": "A"}, "userId": "u1", "event": "Bought", "type": "track"}`},
		{"other whitespace", strings.Join(strings.Fields(base), "")},
		{"receivedAt, sentAt and writeKey differ", `{"type": "track", "event": "Bought", "userId": "u1", "properties": {"sku": "A", "price": 10.0}, "timestamp": "2019-11-15T10:00:00Z", "sentAt": "2019-11-15T10:00:09Z", "receivedAt": "2019-11-16T00:00:00Z", "writeKey": "wk_x"}`},
		{"empty messageId", `{"messageId": "", "type": "track", "event": "Bought", "userId": "u1", "properties": {"sku": "A", "price": 10.0}, "timestamp": "2019-11-15T10:00:00Z"}`},
	}
	for _, tt := range same {
		if got := msgID(tt.body, evReceived.Add(time.Hour)); got != first {
			t.Errorf("%s: messageId = %q, want %q", tt.name, got, first)
		}
	}
	differ := []struct{ name, body string }{
		{"other user", strings.Replace(base, `"u1"`, `"u2"`, 1)},
		{"other property", strings.Replace(base, `"A"`, `"B"`, 1)},
		{"other timestamp", strings.Replace(base, "10:00:00Z", "10:00:01Z", 1)},
	}
	for _, tt := range differ {
		if got := msgID(tt.body, evReceived); got == first {
			t.Errorf("%s: messageId = %q, the same as the original's; want a different one", tt.name, got)
		}
	}
	if got := msgID(`{"type": "page", "userId": "u", "messageId": "given"}`, evReceived); got != "given" {
		t.Errorf("messageId = %q, want the one sent, %q", got, "given")
	}
}

func TestWriteKeyOf(t *testing.T) {
	tests := []struct {
		body, want string
		wantErr    bool
	}{
		{body: `{"type": "page", "writeKey": "wk_1"}`, want: "wk_1"},
		{body: `{"batch": [], "writeKey": " wk_2 "}`, want: "wk_2"},
		{body: `{"batch": []}`, want: ""},
		{body: `{"writeKey": 3}`, want: ""},
		{body: `{"writeKey": "wk_3",}`, wantErr: true},
		{body: `[]`, wantErr: true},
		// Read as the parser reads it: one key, in its one case.
		{body: `{"writeKey": "wk_1", "writeKey": "wk_2"}`, wantErr: true},
		{body: `{"writeKey": "wk_1", "WRITEKEY": "wk_2"}`, wantErr: true},
		{body: `{"WriteKey": "wk_1"}`, wantErr: true},
	}
	for _, tt := range tests {
		got, err := WriteKeyOf([]byte(tt.body))
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("WriteKeyOf(%s) = %q, %v; want %q, error %v", tt.body, got, err, tt.want, tt.wantErr)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("WriteKeyOf(%s): %v, want EINVALID", tt.body, err)
		}
	}
}
