package idgraph

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// idList formats identifiers as "type:value,type:value" for comparisons.
func idList(list []Identifier) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = x.String()
	}
	return strings.Join(s, ",")
}

func customRules(t *testing.T) Rules {
	t.Helper()
	r := DefaultRules()
	r.Types["phone"] = IdentifierRule{Type: "phone", Trait: "phone"}
	r.Types["order_ref"] = IdentifierRule{Type: "order_ref", Property: "orderRef"}
	bl, err := ParseBlocklist(append(slices.Clone(DefaultBlocked), `/^test-/`))
	if err != nil {
		t.Fatal(err)
	}
	r.Blocked = bl
	anon, err := ParseBlocklist([]string{`/^anon-test/`})
	if err != nil {
		t.Fatal(err)
	}
	r.Types["anonymous_id"] = IdentifierRule{Type: "anonymous_id", Blocked: anon}
	return r
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name    string
		custom  bool // customRules instead of DefaultRules
		event   string
		ids     string
		blocked string
	}{
		{
			name:  "user and anonymous ids",
			event: `{"type": "page", "userId": " u1 ", "anonymousId": "a1"}`,
			ids:   "user_id:u1,anonymous_id:a1",
		},
		{
			name:  "email from traits, trimmed and lower-cased",
			event: `{"type": "identify", "userId": "u1", "traits": {"email": "  Jane.Doe@Gmail.COM "}}`,
			ids:   "user_id:u1,email:jane.doe@gmail.com",
		},
		{
			name:  "email from context.traits, deduplicated with traits",
			event: `{"type": "identify", "userId": "u1", "traits": {"email": "jane@x.com"}, "context": {"traits": {"email": "JANE@x.com"}}}`,
			ids:   "user_id:u1,email:jane@x.com",
		},
		{
			name:  "two different emails",
			event: `{"type": "track", "event": "e", "anonymousId": "a1", "traits": {"email": "b@x.com"}, "context": {"traits": {"email": "a@x.com"}}}`,
			ids:   "email:a@x.com,email:b@x.com,anonymous_id:a1",
		},
		{
			name:  "ios device",
			event: `{"type": "track", "event": "e", "anonymousId": "a1", "context": {"device": {"id": "ios_abc123", "type": "ios"}}}`,
			ids:   "anonymous_id:a1,ios.id:ios_abc123",
		},
		{
			name:  "android device, type lower-cased",
			event: `{"type": "track", "event": "e", "anonymousId": "a1", "context": {"device": {"id": "and_1", "type": "Android"}}}`,
			ids:   "android.id:and_1,anonymous_id:a1",
		},
		{
			name:  "other device types as given",
			event: `{"type": "page", "anonymousId": "a1", "context": {"device": {"id": "w1", "type": "web"}}}`,
			ids:   "anonymous_id:a1,web.id:w1",
		},
		{
			name:  "no device type, no device identifiers",
			event: `{"type": "page", "anonymousId": "a1", "context": {"device": {"id": "d1", "token": "t1"}}}`,
			ids:   "anonymous_id:a1",
		},
		{
			name:  "device type that cannot name a type",
			event: `{"type": "page", "anonymousId": "a1", "context": {"device": {"id": "d1", "type": "apple tv"}}}`,
			ids:   "anonymous_id:a1",
		},
		{
			name:  "idfa with ad tracking enabled",
			event: `{"type": "track", "event": "e", "anonymousId": "a1", "context": {"device": {"id": "i1", "type": "ios", "advertisingId": "ad-1", "adTrackingEnabled": true}}}`,
			ids:   "anonymous_id:a1,ios.id:i1,ios.idfa:ad-1",
		},
		{
			name:  "no idfa with ad tracking disabled",
			event: `{"type": "track", "event": "e", "anonymousId": "a1", "context": {"device": {"id": "i1", "type": "ios", "advertisingId": "ad-1", "adTrackingEnabled": false}}}`,
			ids:   "anonymous_id:a1,ios.id:i1",
		},
		{
			name:  "no idfa when ad tracking is not said",
			event: `{"type": "track", "event": "e", "anonymousId": "a1", "context": {"device": {"type": "android", "advertisingId": "ad-1"}}}`,
			ids:   "anonymous_id:a1",
		},
		{
			name:  "no idfa when adTrackingEnabled is not a boolean",
			event: `{"type": "track", "event": "e", "anonymousId": "a1", "context": {"device": {"type": "android", "advertisingId": "ad-1", "adTrackingEnabled": "true"}}}`,
			ids:   "anonymous_id:a1",
		},
		{
			name:  "push token",
			event: `{"type": "track", "event": "e", "anonymousId": "a1", "context": {"device": {"type": "android", "token": "fcm-1"}}}`,
			ids:   "android.push_token:fcm-1,anonymous_id:a1",
		},
		{
			name:  "GA clientId in context.integrations",
			event: `{"type": "page", "anonymousId": "a1", "context": {"integrations": {"Google Analytics": {"clientId": "123.456"}}}}`,
			ids:   "anonymous_id:a1,ga_client_id:123.456",
		},
		{
			name:  "GA clientId in top-level integrations",
			event: `{"type": "page", "anonymousId": "a1", "integrations": {"Google Analytics": {"clientId": "789.1"}, "All": true}}`,
			ids:   "anonymous_id:a1,ga_client_id:789.1",
		},
		{
			name:  "GA integration set to true carries no clientId",
			event: `{"type": "page", "anonymousId": "a1", "integrations": {"Google Analytics": true}}`,
			ids:   "anonymous_id:a1",
		},
		{
			name:  "groupId names an account, not a user",
			event: `{"type": "group", "userId": "u1", "groupId": "acme"}`,
			ids:   "user_id:u1",
		},
		{
			name:  "groupId outside group names no user either",
			event: `{"type": "identify", "anonymousId": "a1", "groupId": "acme"}`,
			ids:   "anonymous_id:a1",
		},
		{
			name:  "group_id from externalIds is no user identifier",
			event: `{"type": "identify", "userId": "u1", "context": {"externalIds": [{"id": "acme", "type": "group_id", "collection": "users"}]}}`,
			ids:   "user_id:u1",
		},
		{
			name:  "group traits describe the group, not the user",
			event: `{"type": "group", "userId": "u1", "groupId": "acme", "traits": {"email": "info@acme.com"}, "context": {"traits": {"email": "jane@acme.com"}}}`,
			ids:   "user_id:u1,email:jane@acme.com",
		},
		{
			name: "external ids",
			event: `{"type": "identify", "userId": "u1", "context": {"externalIds": [
				{"id": "cus_1", "type": "stripe_customer_id", "collection": "users", "encoding": "none"},
				{"id": "crm-9", "type": "crm.id", "encoding": "none"},
				{"id": "Boss@Acme.com", "type": "email", "collection": "users"},
				{"id": "acct-1", "type": "account_id", "collection": "accounts"},
				{"id": "x", "type": "bad type", "collection": "users"},
				{"id": "", "type": "empty", "collection": "users"},
				{"type": "no_id", "collection": "users"},
				{"id": 42, "type": "legacy_id", "collection": "users"},
				"not an object"
			]}}`,
			ids: "user_id:u1,email:boss@acme.com,crm.id:crm-9,legacy_id:42,stripe_customer_id:cus_1",
		},
		{
			name:  "alias: previousId equal to anonymousId is an anonymous_id",
			event: `{"type": "alias", "userId": "u1", "previousId": "a1", "anonymousId": "a1"}`,
			ids:   "user_id:u1,anonymous_id:a1",
		},
		{
			name:  "alias: no anonymousId to tell, previousId is an anonymous_id",
			event: `{"type": "alias", "userId": "u1", "previousId": "p1"}`,
			ids:   "user_id:u1,anonymous_id:p1",
		},
		{
			name:  "alias: another anonymousId, previousId is an earlier user_id",
			event: `{"type": "alias", "userId": "u2", "previousId": "u1", "anonymousId": "a1"}`,
			ids:   "user_id:u1,user_id:u2,anonymous_id:a1",
		},
		{
			name:  "previousId outside alias is ignored",
			event: `{"type": "identify", "userId": "u1", "previousId": "p1"}`,
			ids:   "user_id:u1",
		},
		{
			name:  "numeric ids and trait values as decimal strings",
			event: `{"type": "identify", "userId": 1234567890123, "context": {"traits": {"email": 5}}}`,
			ids:   "user_id:1234567890123,email:5",
		},
		{
			name:  "values that are neither strings nor numbers are not identifiers",
			event: `{"type": "identify", "userId": "u1", "traits": {"email": true}, "context": {"traits": {"email": {"a": 1}}, "device": {"type": "ios", "id": ["x"], "token": null}}}`,
			ids:   "user_id:u1",
		},
		{
			name:    "default blocklist",
			event:   `{"type": "identify", "userId": "null", "anonymousId": "undefined", "traits": {"email": "NaN"}, "context": {"traits": {"email": ""}, "device": {"type": "ios", "id": "0000", "advertisingId": "00000000-0000-0000-0000-000000000000", "adTrackingEnabled": true, "token": "[object Object]"}, "integrations": {"Google Analytics": {"clientId": "-1"}}}}`,
			ids:     "",
			blocked: "user_id:null,email:nan,anonymous_id:undefined,ga_client_id:-1,ios.id:0000,ios.idfa:00000000-0000-0000-0000-000000000000,ios.push_token:[object Object]",
		},
		{
			name:    "more default blocked values",
			event:   `{"type": "identify", "userId": "None", "anonymousId": "anonymous", "groupId": "-", "traits": {"email": "  "}}`,
			ids:     "",
			blocked: "user_id:None,anonymous_id:anonymous",
		},
		{
			name:    "configured regex and per-type blocklist",
			custom:  true,
			event:   `{"type": "identify", "userId": "test-jane", "anonymousId": "anon-test-1", "traits": {"email": "jane@x.com"}}`,
			ids:     "email:jane@x.com",
			blocked: "user_id:test-jane,anonymous_id:anon-test-1",
		},
		{
			name:    "per-type blocklist applies to its type only",
			custom:  true,
			event:   `{"type": "identify", "userId": "anon-test-1", "anonymousId": "a1"}`,
			ids:     "user_id:anon-test-1,anonymous_id:a1",
			blocked: "",
		},
		{
			name:   "custom trait keys, in traits and context.traits",
			custom: true,
			event:  `{"type": "identify", "userId": "u1", "traits": {"phone": 15551234567}, "context": {"traits": {"phone": " +1 555 000 "}}}`,
			ids:    "user_id:u1,phone:+1 555 000,phone:15551234567",
		},
		{
			name:   "custom property keys",
			custom: true,
			event:  `{"type": "track", "event": "Order Completed", "userId": "u1", "properties": {"orderRef": "o-1", "phone": "not a trait"}}`,
			ids:    "user_id:u1,order_ref:o-1",
		},
		{
			name:  "custom keys are not read without rules",
			event: `{"type": "identify", "userId": "u1", "traits": {"phone": "555"}}`,
			ids:   "user_id:u1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := DefaultRules()
			if tt.custom {
				rules = customRules(t)
			}
			e := mustParseEvent(t, tt.event)
			ids, blocked := rules.Extract(e)
			if got := idList(ids); got != tt.ids {
				t.Errorf("ids = %s, want %s", got, tt.ids)
			}
			if got := idList(blocked); got != tt.blocked {
				t.Errorf("blocked = %s, want %s", got, tt.blocked)
			}
			for _, x := range append(ids, blocked...) {
				if x.Type == "" || x.Value == "" {
					t.Errorf("identifier %q has an empty type or value", x)
				}
			}
		})
	}
}

func TestExtractPriorityOrder(t *testing.T) {
	r := DefaultRules()
	r.Types["phone"] = IdentifierRule{Type: "phone", Priority: 2, Trait: "phone"}
	e := Event{
		Type:        EventIdentify,
		UserID:      "u",
		AnonymousID: "a",
		Traits:      map[string]any{"email": "e@x.com", "phone": int64(5)},
		Context:     map[string]any{"device": map[string]any{"type": "ios", "id": "d"}},
	}
	ids, _ := r.Extract(e)
	if got, want := idList(ids), "user_id:u,email:e@x.com,phone:5,anonymous_id:a,ios.id:d"; got != want {
		t.Errorf("ids = %s, want %s", got, want)
	}
	if !slices.IsSortedFunc(ids, func(a, b Identifier) int {
		if r.Before(a, b) {
			return -1
		}
		if r.Before(b, a) {
			return 1
		}
		return 0
	}) {
		t.Errorf("ids %s are not in Rules.Before order", idList(ids))
	}
}

func TestIdentifierValue(t *testing.T) {
	tests := []struct {
		in   any
		want string
		ok   bool
	}{
		{" x ", "x", true},
		{"", "", false},
		{int64(-3), "-3", true},
		{7, "7", true},
		{uint64(18446744073709551615), "18446744073709551615", true},
		{1e21, "1000000000000000000000", true},
		{2.5, "2.5", true},
		{true, "", false},
		{nil, "", false},
		{map[string]any{}, "", false},
		{[]any{"x"}, "", false},
	}
	for _, tt := range tests {
		got, ok := identifierValue(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("identifierValue(%#v) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestExtractSeedStory extracts the identifiers of the events of
// shared/seed/identity-resolution-example.txt (Segment's Jane Doe story),
// written clean: the page's snippets have trailing commas, and the checkout
// identify carries the email as traits.email (DESIGN.md section 1).
func TestExtractSeedStory(t *testing.T) {
	story := []struct {
		source string
		event  string
		ids    string
	}{
		{"segkicks", `{"anonymousId": "anon_123", "context": {"app": "SegKicks", "device": {"id": "ios_abc123", "type": "ios"}}, "event": "App Opened", "type": "track"}`,
			"anonymous_id:anon_123,ios.id:ios_abc123"},
		{"segkicks", `{"anonymousId": "anon_123", "context": {"app": "SegKicks", "device": {"id": "ios_abc123", "type": "ios"}}, "event": "ShoeA Clicked", "type": "track"}`,
			"anonymous_id:anon_123,ios.id:ios_abc123"},
		{"segkicks", `{"anonymousId": "anon_123", "context": {"app": "SegKicks", "device": {"id": "ios_abc123", "type": "ios"}}, "traits": {"email": "jane.doe@gmail.com"}, "userId": "abc123def", "type": "identify"}`,
			"user_id:abc123def,email:jane.doe@gmail.com,anonymous_id:anon_123,ios.id:ios_abc123"},
		{"segkicks", `{"anonymousId": "anon_456", "context": {"app": "SegKicks", "device": {"id": "and_1a2b3c4d", "type": "android"}}, "type": "identify", "userId": "abc123def"}`,
			"user_id:abc123def,android.id:and_1a2b3c4d,anonymous_id:anon_456"},
		{"segruns", `{"anonymousId": "anon_789", "context": {"app": "SegRuns", "device": {"id": "and_1a2b3c4d", "type": "android"}}, "type": "identify", "userId": "abc123def"}`,
			"user_id:abc123def,android.id:and_1a2b3c4d,anonymous_id:anon_789"},
	}
	rules := DefaultRules()
	first := map[Identifier]string{} // identifier: source it first came from
	for i, s := range story {
		e, err := ParseEvent([]byte(s.event), time.Date(2019, 11, 15+i/3, 10, i, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		ids, blocked := rules.Extract(e)
		if got := idList(ids); got != s.ids {
			t.Errorf("event %d: ids = %s, want %s", i, got, s.ids)
		}
		if len(blocked) > 0 {
			t.Errorf("event %d: blocked = %s, want none", i, idList(blocked))
		}
		for _, x := range ids {
			if _, ok := first[x]; !ok {
				first[x] = s.source
			}
		}
	}
	var got []string
	for x, src := range first {
		got = append(got, fmt.Sprintf("%s from %s", x, src))
	}
	slices.Sort(got)
	want := []string{
		"android.id:and_1a2b3c4d from segkicks",
		"anonymous_id:anon_123 from segkicks",
		"anonymous_id:anon_456 from segkicks",
		"anonymous_id:anon_789 from segruns",
		"email:jane.doe@gmail.com from segkicks",
		"ios.id:ios_abc123 from segkicks",
		"user_id:abc123def from segkicks",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the story's identifiers:\n got %q\nwant %q", got, want)
	}
}

func TestExtractDropsOverlongValues(t *testing.T) {
	long := strings.Repeat("x", MaxIdentifierBytes+1)
	e := Event{Type: EventIdentify, UserID: "u1", AnonymousID: long, Traits: map[string]any{"email": long + "@x.io"}}
	ids, blocked := DefaultRules().Extract(e)
	if len(ids) != 1 || ids[0] != (Identifier{Type: TypeUserID, Value: "u1"}) {
		t.Errorf("ids: got %v, want only user_id:u1", ids)
	}
	if len(blocked) != 2 {
		t.Errorf("blocked: got %d values, want the two over-long ones", len(blocked))
	}
}
