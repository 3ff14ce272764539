package idgraph

import (
	"slices"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseEventRefusesIdentifiersThatAreNotText(t *testing.T) {
	tests := []struct {
		name   string
		custom bool
		body   string
		want   []string
	}{
		// Three people that encoding/json made one: caf\uFFFD.
		{name: "an invalid byte", body: "{\"type\":\"identify\",\"userId\":\"caf\xe9\"}", want: []string{"userId"}},
		{name: "another invalid byte", body: "{\"type\":\"identify\",\"userId\":\"caf\xeb\"}", want: []string{"userId"}},
		{name: "a lone surrogate", body: `{"type":"identify","userId":"caf\ud800"}`, want: []string{"userId"}},
		{name: "a lone low surrogate after text", body: `{"type":"identify","userId":"u1","anonymousId":"a\udc00b"}`, want: []string{"anonymousId"}},
		{name: "a high surrogate before a non-surrogate escape", body: `{"type":"identify","userId":"\ud800\u0041"}`, want: []string{"userId"}},
		{name: "an email in traits", body: `{"type":"identify","userId":"u1","traits":{"email":"jane\ud800@x.io"}}`, want: []string{"traits.email"}},
		{name: "an external id and a device type",
			body: "{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u1\",\"context\":{\"externalIds\":[{\"type\":\"crm_id\",\"id\":\"x\xff\"}],\"device\":{\"type\":\"io\xffs\",\"id\":\"d1\"}}}",
			want: []string{"context.externalIds[0].id"}}, // an invalid device type is no type: no device ids
		{name: "a custom type's trait", custom: true,
			body: `{"type":"identify","userId":"u1","traits":{"phone":"+1\udfff"}}`, want: []string{"traits.phone"}},
		{name: "a surrogate pair is text", body: `{"type":"identify","userId":"smile\ud83d\ude00"}`},
		{name: "U+FFFD as sent is text", body: `{"type":"identify","userId":"caf\ufffd"}`},
		{name: "an invalid byte that is no identifier", body: "{\"type\":\"track\",\"event\":\"Caf\xe9\",\"userId\":\"u1\",\"properties\":{\"t\":[\"\xff\"]}}"},
		{name: "a group's traits", body: `{"type":"group","userId":"u1","groupId":"g1","traits":{"email":"\ud800"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := DefaultRules()
			if tt.custom {
				r = customRules(t)
			}
			e, err := r.ParseEvent("", []byte(tt.body), time.Time{})
			if got := fieldsOf(err); !slices.Equal(got, tt.want) {
				t.Fatalf("problems on %v, want %v (error %v)", got, tt.want, err)
			}
			if err != nil {
				return
			}
			// What is written is valid UTF-8 throughout.
			e.eachString(func(l leaf) {
				if !utf8.ValidString(l.get()) {
					t.Errorf("%s = %q, not valid UTF-8", l.path, l.get())
				}
			})
		})
	}
}

func TestParseBatchRefusesIdentifiersThatAreNotTextByIndex(t *testing.T) {
	body := "{\"batch\":[{\"type\":\"identify\",\"userId\":\"caf\xe9\"},{\"type\":\"identify\",\"userId\":\"cafe\"}]}"
	events, invalid, err := ParseBatch([]byte(body), time.Time{})
	if err != nil || len(events) != 1 || len(invalid) != 1 || invalid[0].Index != 0 || invalid[0].Problems[0].Field != "userId" {
		t.Errorf("got %d events, invalid %+v, %v; want event 0 invalid on userId, event 1 kept", len(events), invalid, err)
	}
	// The batch's context is every event's.
	body = `{"context":{"device":{"type":"ios","id":"d\ud800"}},"batch":[{"type":"identify","userId":"u1"}]}`
	_, invalid, err = ParseBatch([]byte(body), time.Time{})
	if err != nil || len(invalid) != 1 || invalid[0].Problems[0].Field != "context.device.id" {
		t.Errorf("invalid %+v, %v; want event 0 invalid on context.device.id", invalid, err)
	}
}

func TestBlankIdentifiers(t *testing.T) {
	for _, v := range []string{"\u200b", "\ufeff", " \u200b\u200d\u2060 ", "\u200e"} {
		e := mustParseEvent(t, `{"type":"identify","userId":"u1","traits":{"email":"`+v+`"},"context":{"device":{"type":"ios","id":"`+v+`"}}}`)
		if ids, _ := DefaultRules().Extract(e); len(ids) != 1 {
			t.Errorf("%q: identifiers %v, want user_id:u1 alone: a blank value is none", v, ids)
		}
		if _, err := ParseIdentifier("email:" + v); ErrorCode(err) != EINVALID {
			t.Errorf("ParseIdentifier(email:%q) = %v, want EINVALID", v, err)
		}
	}
	_, err := ParseEvent([]byte(`{"type":"identify","userId":"\u200b"}`), time.Time{})
	if got := fieldsOf(err); !slices.Equal(got, []string{"userId"}) {
		t.Errorf("a blank userId alone: problems on %v, want userId (required)", got)
	}
	if _, err := ParseIdentifier("user_id:caf\xe9"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseIdentifier of invalid UTF-8 = %v, want EINVALID", err)
	}
}
