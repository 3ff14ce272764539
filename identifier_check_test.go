package idgraph

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// fieldsOf returns the fields err's problems name, in order.
func fieldsOf(err error) []string {
	var fields []string
	if e, ok := err.(*Error); ok {
		for _, p := range e.Problems {
			fields = append(fields, p.Field)
		}
	}
	return fields
}

func TestParseEventBoundsEveryIdentifierNamingTheField(t *testing.T) {
	longType := strings.Repeat("t", 9000)
	longValue := strings.Repeat("v", MaxIdentifierBytes+1)
	okValue := strings.Repeat("v", MaxIdentifierBytes)
	words := strings.Repeat("not an id ", 900) // a long string, but no identifier type
	tests := []struct {
		name   string
		custom bool // customRules: phone read from traits.phone
		event  map[string]any
		want   []string // the fields named, none for a valid event
	}{
		{name: "an external id's type",
			event: map[string]any{"context": map[string]any{"externalIds": []any{
				map[string]any{"id": "x1", "type": "crm_id"},
				map[string]any{"id": "x2", "type": longType, "collection": "users"}}}},
			want: []string{"context.externalIds[1].type"}},
		{name: "a device type, which makes three types",
			event: map[string]any{"context": map[string]any{"device": map[string]any{
				"type": longType, "id": "d1", "token": "p1"}}},
			want: []string{"context.device.type"}},
		{name: "a device type just under the bound with its suffix just over",
			event: map[string]any{"context": map[string]any{"device": map[string]any{
				"type": strings.Repeat("t", MaxIDBytes-len(".id")), "token": "p1"}}},
			want: []string{"context.device.type"}},
		{name: "ids, emails, device ids, clientId, external id values",
			event: map[string]any{"anonymousId": longValue, "traits": map[string]any{"email": longValue + "@x.io"},
				"integrations": map[string]any{"Google Analytics": map[string]any{"clientId": longValue}},
				"context": map[string]any{"device": map[string]any{"type": "ios", "id": longValue},
					"externalIds": []any{map[string]any{"id": longValue, "type": "crm_id"}}}},
			want: []string{"anonymousId", "context.device.id", "context.externalIds[0].id",
				"integrations.Google Analytics.clientId", "traits.email"}},
		{name: "a custom type's trait", custom: true,
			event: map[string]any{"traits": map[string]any{"phone": longValue}},
			want:  []string{"traits.phone"}},
		{name: "at the bounds", custom: true,
			event: map[string]any{"anonymousId": okValue, "traits": map[string]any{"phone": okValue},
				"context": map[string]any{"externalIds": []any{map[string]any{"id": "x", "type": strings.Repeat("t", MaxIDBytes)}}}}},
		{name: "long strings that are no identifier",
			event: map[string]any{"properties": map[string]any{"blob": longValue, "phone": longValue},
				"context": map[string]any{"userAgent": words,
					"device":      map[string]any{"type": words, "id": "d1"}, // not a valid type: no device ids
					"externalIds": []any{map[string]any{"id": longValue, "type": "crm_id", "collection": "accounts"}}}}},
		{name: "a group's traits describe the group",
			event: map[string]any{"type": "group", "groupId": "g1", "traits": map[string]any{"email": longValue}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := map[string]any{"type": "track", "event": "x", "userId": "u1"}
			for k, v := range tt.event {
				ev[k] = v
			}
			data, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			r := DefaultRules()
			if tt.custom {
				r = customRules(t)
			}
			_, err = r.ParseEvent("", data, time.Time{})
			if got := fieldsOf(err); !slices.Equal(got, tt.want) {
				t.Errorf("problems on %v, want %v (error %v)", got, tt.want, err)
			}
			// A batch names the same fields for the same event, by index.
			batch := fmt.Appendf(nil, `{"batch":[{"type":"track","event":"x","userId":"u0"},%s]}`, data)
			events, invalid, err := r.ParseBatch(batch, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == nil && (len(events) != 2 || len(invalid) != 0):
				t.Errorf("batch: %d events, %d invalid; want 2 valid", len(events), len(invalid))
			case tt.want != nil && (len(events) != 1 || len(invalid) != 1 || invalid[0].Index != 1):
				t.Errorf("batch: %d events, invalid %+v; want event 1 invalid and event 0 kept", len(events), invalid)
			}
		})
	}
}

func TestParseIdentifierBoundsItsParts(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("t", MaxIDBytes+1) + ":v",
		"user_id:" + strings.Repeat("v", MaxIdentifierBytes+1),
	} {
		if _, err := ParseIdentifier(s); ErrorCode(err) != EINVALID || len(ErrorMessage(err)) > 200 {
			t.Errorf("ParseIdentifier(%d bytes) = %v, want a short EINVALID", len(s), err)
		}
	}
	if _, err := ParseIdentifier(strings.Repeat("t", MaxIDBytes) + ":" + strings.Repeat("v", MaxIdentifierBytes)); err != nil {
		t.Errorf("an identifier at the bounds: %v", err)
	}
}

func TestSpacesBoundIDs(t *testing.T) {
	long := strings.Repeat("s", MaxIDBytes+1)
	_, err := NewSpaces(Space{ID: "shop", Rules: DefaultRules(), AccessTokens: []AccessToken{{Token: "tok_1"}},
		Sources: []Source{{ID: long, WriteKey: "wk_1"}}})
	if got := fieldsOf(err); !slices.Equal(got, []string{"spaces[0].sources[0].id"}) {
		t.Errorf("problems on %v, want the source id's (error %v)", got, err)
	}
}
