package idgraph

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

const spacesYAML = `
spaces:
  - id: default
    access_tokens: ["tok_default_1", "tok_default_2"]
    sources:
      - {id: segkicks, name: "Mobile (segkicks)", write_key: "wk_segkicks"}
      - {id: segruns, write_key: "wk_segruns"}
    blocked: ["/^test-/", "n/a", -2]
    max_merges: 50
    max_identifiers: 0
    identifiers:
      - {type: user_id, priority: 1, limit: 1, window: ever}
      - {type: anonymous_id, limit: 5, window: weekly, blocked: ["/^anon-test/"]}
      - {type: phone, priority: 4, trait: phone}
      - {type: email, limit: 3}
  - id: staging
    access_tokens: [tok_staging]
    sources:
      - id: web
        name: Website
        write_key: wk_web
    default_blocked: false
`

func TestParseSpaces(t *testing.T) {
	s, err := ParseSpaces([]byte(spacesYAML))
	if err != nil {
		t.Fatal(err)
	}
	all := s.spaces
	if got := []string{all[0].ID, all[1].ID}; len(all) != 2 || !slices.Equal(got, []string{"default", "staging"}) {
		t.Fatalf("space ids = %v, want [default staging]", got)
	}

	sp, src, ok := s.BySourceKey("wk_segruns")
	if !ok || sp.ID != "default" || src.ID != "segruns" || src.Name != "segruns" {
		t.Errorf("BySourceKey(wk_segruns) = %q, %+v, %v; want default, segruns named by its id", sp.ID, src, ok)
	}
	if _, src, _ := s.BySourceKey("wk_segkicks"); src.Name != "Mobile (segkicks)" {
		t.Errorf("segkicks name = %q, want %q", src.Name, "Mobile (segkicks)")
	}
	if sp, src, ok := s.BySourceKey("wk_web"); !ok || sp.ID != "staging" || src.Name != "Website" {
		t.Errorf("BySourceKey(wk_web) = %q, %+v, %v; want staging, Website", sp.ID, src, ok)
	}
	for _, key := range []string{"", "wk_nope", "tok_default_1"} {
		if _, _, ok := s.BySourceKey(key); ok {
			t.Errorf("BySourceKey(%q) found a source, want none", key)
		}
	}
	for tok, want := range map[string]string{"tok_default_1": "default", "tok_default_2": "default", "tok_staging": "staging"} {
		if sp, _, ok := s.ByToken(tok); !ok || sp.ID != want {
			t.Errorf("ByToken(%q) = %q, %v; want %q", tok, sp.ID, ok, want)
		}
	}
	for _, tok := range []string{"", "wk_web", "tok_nope"} {
		if _, _, ok := s.ByToken(tok); ok {
			t.Errorf("ByToken(%q) found a space, want none", tok)
		}
	}
	if _, ok := s.Get("nope"); ok {
		t.Errorf("Get(nope) found a space, want none")
	}

	def, _ := s.Get("default")
	r := def.Rules
	if r.MaxMerges != 50 || r.MaxIdentifiers != 0 {
		t.Errorf("caps = %d merges, %d identifiers; want 50, 0 (no cap)", r.MaxMerges, r.MaxIdentifiers)
	}
	limits := []struct {
		typ      string
		priority int
		limit    int
		window   Window
	}{
		{"user_id", 1, 1, WindowEver},
		{"email", 2, 3, WindowEver}, // priority from the defaults, limit configured
		{"anonymous_id", DefaultPriority, 5, WindowWeekly},
		{"phone", 4, DefaultLimit, WindowEver},
		{"ios.id", DefaultPriority, DefaultLimit, WindowEver},
	}
	for _, l := range limits {
		limit, window := r.Limit(l.typ)
		if p := r.Priority(l.typ); p != l.priority || limit != l.limit || window != l.window {
			t.Errorf("%s: priority %d, limit %d %s; want %d, %d %s", l.typ, p, limit, window, l.priority, l.limit, l.window)
		}
	}
	if got := r.Types["phone"].Trait; got != "phone" {
		t.Errorf("phone trait = %q, want phone", got)
	}
	blocked := []struct {
		id   Identifier
		want bool
	}{
		{Identifier{"user_id", "test-1"}, true},    // configured regex
		{Identifier{"user_id", "N/A"}, true},       // configured value
		{Identifier{"user_id", "-2"}, true},        // configured number
		{Identifier{"user_id", "undefined"}, true}, // default
		{Identifier{"anonymous_id", "anon-test-9"}, true},
		{Identifier{"user_id", "anon-test-9"}, false},
		{Identifier{"user_id", "jane"}, false},
	}
	for _, b := range blocked {
		if got := r.IsBlocked(b.id); got != b.want {
			t.Errorf("default space: IsBlocked(%s) = %v, want %v", b.id, got, b.want)
		}
	}

	staging, _ := s.Get("staging")
	if staging.Rules.IsBlocked(Identifier{"user_id", "undefined"}) {
		t.Errorf("staging (default_blocked: false) blocks undefined, want it allowed")
	}
	if !staging.Rules.IsBlocked(Identifier{"user_id", " "}) {
		t.Errorf("staging does not block a blank value, want it blocked")
	}
	if staging.Rules.MaxMerges != DefaultMaxMerges || staging.Rules.MaxIdentifiers != DefaultMaxIdentifiers {
		t.Errorf("staging caps = %d, %d; want the defaults", staging.Rules.MaxMerges, staging.Rules.MaxIdentifiers)
	}
}

func TestParseSpacesErrors(t *testing.T) {
	// ok is a valid space, to which each case adds or changes a line.
	const ok = `
  - id: ok
    access_tokens: [tok_ok_secret]
    sources: [{id: app, write_key: wk_ok_secret}]
`
	tests := []struct {
		name  string
		yaml  string
		want  []string // problem fields, in order
		msg   string   // a substring of the error, when it matters
		extra []string // more substrings
	}{
		{"not YAML", "spaces: [", []string{"yaml"}, "line 1, column", nil},
		{"empty", "", []string{"spaces"}, "at least one space is required", nil},
		{"no spaces", "spaces: []", []string{"spaces"}, "at least one space is required", nil},
		{"spaces not a list", "spaces: {id: x}", []string{"spaces"}, "want a list, got a mapping", nil},
		{"top level a list", "- 1", []string{"yaml", "spaces"}, "want a mapping, got a list", nil},
		{
			"unknown fields everywhere",
			`
version: 2
spaces:
  - id: ok
    acess_tokens: [tok_x]
    access_tokens: [tok_ok_secret]
    sources: [{id: app, write_key: wk_ok_secret, writeKey: wk_other}]
    identifiers: [{type: phone, trait: phone, limits: 3}]
`,
			[]string{"version", "spaces[0].acess_tokens", "spaces[0].sources[0].writeKey", "spaces[0].identifiers[0].limits"},
			"spaces[0].acess_tokens: unknown field", nil,
		},
		{
			"missing and duplicate space ids",
			"spaces:" + ok + ok + strings.Replace(strings.Replace(strings.Replace(ok, "id: ok\n", "name: x\n", 1), "tok_ok_secret", "tok_3", 1), "wk_ok_secret", "wk_3", 1),
			[]string{
				"spaces[1].id", "spaces[1].access_tokens[0]", "spaces[1].sources[0].write_key",
				"spaces[2].name", "spaces[2].id",
			},
			`spaces[1].id: duplicate space id "ok" (also spaces[0])`,
			[]string{"spaces[1].access_tokens[0]: same value as spaces[0].access_tokens[0]", "spaces[1].sources[0].write_key: same value as spaces[0].sources[0].write_key", "spaces[2].id: missing"},
		},
		{
			"duplicate source id and missing write key",
			"spaces:" + strings.Replace(ok, "sources: [{id: app, write_key: wk_ok_secret}]", "sources: [{id: app, write_key: wk_ok_secret}, {id: app, write_key: wk_2}, {id: web}]", 1),
			[]string{"spaces[0].sources[1].id", "spaces[0].sources[2].write_key"},
			`spaces[0].sources[1].id: duplicate source id "app" (also spaces[0].sources[0])`,
			[]string{"spaces[0].sources[2].write_key: missing"},
		},
		{
			"duplicate write key across spaces",
			"spaces:" + ok + `
  - id: other
    access_tokens: [tok_other]
    sources: [{id: app, write_key: wk_ok_secret}]
`,
			[]string{"spaces[1].sources[0].write_key"}, "same value as spaces[0].sources[0].write_key", nil,
		},
		{
			"duplicate access token across spaces",
			"spaces:" + ok + `
  - id: other
    access_tokens: [tok_ok_secret]
    sources: [{id: app, write_key: wk_other}]
`,
			[]string{"spaces[1].access_tokens[0]"}, "same value as spaces[0].access_tokens[0]", nil,
		},
		{
			"write key reused as an access token",
			"spaces:" + strings.Replace(ok, "[tok_ok_secret]", "[wk_ok_secret]", 1),
			[]string{"spaces[0].sources[0].write_key"}, "same value as spaces[0].access_tokens[0]", nil,
		},
		{
			"no access tokens, no sources",
			"spaces:\n  - id: bare\n",
			[]string{"spaces[0].access_tokens", "spaces[0].sources"},
			"a space needs at least one access token", []string{"a space needs at least one source"},
		},
		{
			"secrets with whitespace or a colon",
			"spaces:" + strings.Replace(strings.Replace(ok, "[tok_ok_secret]", `["tok:ok_secret", ""]`, 1), "write_key: wk_ok_secret", `write_key: "wk_ok secret"`, 1),
			[]string{"spaces[0].access_tokens[0]", "spaces[0].access_tokens[1]", "spaces[0].sources[0].write_key"},
			"must not contain whitespace or ':'", nil,
		},
		{
			"ids with bad characters",
			"spaces:" + strings.Replace(strings.Replace(ok, "id: ok", "id: my space", 1), "id: app", "id: \"app/1\"", 1) + "    identifiers: [{type: \"phone:mobile\"}]\n",
			[]string{"spaces[0].identifiers[0].type", "spaces[0].id", "spaces[0].sources[0].id"},
			`spaces[0].id: "my space" has characters outside [A-Za-z0-9_.-]`, nil,
		},
		{
			"bad rules",
			"spaces:" + ok + `    blocked: ["ok", "/(/"]
    max_merges: -1
    max_identifiers: -5
    identifiers:
      - {type: user_id, limit: 1}
      - {type: anonymous_id, window: fortnightly}
      - {type: phone, limit: -1, priority: -2}
      - {type: pet, trait: pet, property: pet}
      - {type: user_id, limit: 2}
      - {type: session, blocked: ["/[/"]}
      - {limit: 3}
      - {type: x, limit: "3", window: 7}
`,
			[]string{
				"spaces[0].blocked[1]",
				"spaces[0].max_merges", "spaces[0].max_identifiers",
				"spaces[0].identifiers[1].window",
				"spaces[0].identifiers[2].priority", "spaces[0].identifiers[2].limit",
				"spaces[0].identifiers[3].property",
				"spaces[0].identifiers[4].type",
				"spaces[0].identifiers[5].blocked[0]",
				"spaces[0].identifiers[6].type",
				"spaces[0].identifiers[7].limit", "spaces[0].identifiers[7].window",
			},
			`spaces[0].identifiers[1].window: unknown window "fortnightly"`,
			[]string{
				`spaces[0].identifiers[4].type: duplicate identifier type "user_id" (also spaces[0].identifiers[0])`,
				"spaces[0].identifiers[3].property: set trait or property, not both",
				"spaces[0].identifiers[2].limit: must not be negative",
				"spaces[0].identifiers[6].type: missing",
				"spaces[0].max_merges: must not be negative",
				"bad regular expression",
			},
		},
		{
			"wrong types",
			`
spaces:
  - id: 7
    access_tokens: tok_x
    sources: {id: app}
    default_blocked: "no"
    identifiers: [phone]
  - "just a string"
`,
			[]string{
				"spaces[0].id", "spaces[0].access_tokens", "spaces[0].sources", "spaces[0].default_blocked",
				"spaces[0].identifiers[0]", "spaces[1]",
			},
			"spaces[0].id: want a string, got a number", []string{"spaces[1]: want a mapping, got a string"},
		},
		{
			"numbers that are not counts",
			"spaces:" + ok + "    max_merges: 1.5\n    max_identifiers: 99999999999\n",
			[]string{"spaces[0].max_merges", "spaces[0].max_identifiers"},
			"spaces[0].max_merges: want an integer, got a fraction", []string{"spaces[0].max_identifiers: out of range"},
		},
		{
			"group_id as a user identifier",
			"spaces:" + ok + "    identifiers:\n      - {type: group_id, trait: company, limit: 1}\n",
			[]string{"spaces[0].identifiers[0].type"},
			"spaces[0].identifiers[0].type: group_id names accounts, never a user: only blocked applies to it", nil,
		},
		{
			"a secret of the wrong type",
			"spaces:" + strings.Replace(ok, "[tok_ok_secret]", "[tok_ok_secret, 12345, wk_nope_secret]", 1),
			[]string{"spaces[0].access_tokens[1]"}, "want a string or a mapping (name, token, scopes), got a number", nil,
		},
	}
	secret := regexp.MustCompile(`(tok|wk)_[a-z_0-9]+`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSpaces([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("ParseSpaces = %+v, want an error", s.spaces)
			}
			if got := problemFields(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("problem fields:\n got %q\nwant %q\n(error: %v)", got, tt.want, err)
			}
			for _, sub := range append([]string{tt.msg}, tt.extra...) {
				if !strings.Contains(err.Error(), sub) {
					t.Errorf("error %q does not contain %q", err, sub)
				}
			}
			if leak := secret.FindString(err.Error()); leak != "" {
				t.Errorf("error %q shows the secret %q", err, leak)
			}
		})
	}
}

func TestNewSpacesValidatesRules(t *testing.T) {
	rules := DefaultRules()
	rules.MaxMerges = -1
	rules.Types["phone"] = IdentifierRule{Type: "phone", Limit: -1, Priority: -1, Window: "fortnightly", Trait: "phone", Property: "phone"}
	rules.Types["pet"] = IdentifierRule{Type: "cat"}
	_, err := NewSpaces(Space{
		ID:           "s",
		AccessTokens: []AccessToken{{Token: "tok_1"}},
		Sources:      []Source{{ID: "src", WriteKey: "wk_1"}},
		Rules:        rules,
	})
	want := []string{
		"spaces[0].rules.max_merges",
		`spaces[0].rules.types["pet"].type`,
		`spaces[0].rules.types["phone"].priority`,
		`spaces[0].rules.types["phone"].limit`,
		`spaces[0].rules.types["phone"].window`,
		`spaces[0].rules.types["phone"].property`,
	}
	if got := problemFields(t, err); !slices.Equal(got, want) {
		t.Errorf("problem fields:\n got %q\nwant %q\n(error: %v)", got, want, err)
	}
}

func TestNewSpacesCopiesItsInput(t *testing.T) {
	tokens := []AccessToken{{Name: "ops", Token: "tok_1", Scopes: []Scope{ScopeAdmin}}}
	sources := []Source{{ID: "src", WriteKey: "wk_1"}}
	rules := DefaultRules()
	rules.Types["phone"] = IdentifierRule{Trait: "phone"}
	s, err := NewSpaces(Space{ID: "s", AccessTokens: tokens, Sources: sources, Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	tokens[0].Token, tokens[0].Scopes[0], sources[0].WriteKey = "tok_changed", ScopeRead, "wk_changed"
	delete(rules.Types, "phone")
	if _, tok, ok := s.ByToken("tok_1"); !ok || !slices.Equal(tok.Scopes, []Scope{ScopeAdmin}) {
		t.Errorf("ByToken(tok_1) = %+v, %v after the caller changed its slices; want the token as given", tok, ok)
	}
	sp, src, ok := s.BySourceKey("wk_1")
	if !ok || src.WriteKey != "wk_1" || src.Name != "src" {
		t.Errorf("BySourceKey(wk_1) = %+v, %v; want the source as given, named by its id", src, ok)
	}
	if got := sp.Rules.Types["phone"]; got.Type != "phone" || got.Trait != "phone" {
		t.Errorf("phone rule = %+v, want type and trait phone", got)
	}
	if empty, err := NewSpaces(); err != nil || len(empty.spaces) != 0 {
		t.Errorf("NewSpaces() = %v, %v; want no spaces and no error", empty, err)
	}
}

func TestDefaultSpaces(t *testing.T) {
	s, writeKey, token, err := DefaultSpaces()
	if err != nil {
		t.Fatal(err)
	}
	urlSafe := regexp.MustCompile(`^[A-Za-z0-9_-]{24,}$`)
	for _, v := range []string{writeKey, token} {
		if !urlSafe.MatchString(v) {
			t.Errorf("secret %q: want at least 24 URL-safe characters", v)
		}
	}
	if writeKey == token {
		t.Errorf("write key and token are the same")
	}
	sp, src, ok := s.BySourceKey(writeKey)
	if !ok || sp.ID != "default" || src.ID != "default" || src.Name != "Default source" {
		t.Errorf("BySourceKey = %q, %+v, %v; want space default, source default named Default source", sp.ID, src, ok)
	}
	if sp, tok, ok := s.ByToken(token); !ok || sp.ID != "default" || tok.Name != "default" || !tok.Allows(ScopeRead) || !tok.Allows(ScopeAdmin) {
		t.Errorf("ByToken = %q, %+v, %v; want space default, a token named default with both scopes", sp.ID, tok, ok)
	}
	if sp.Rules.MaxMerges != DefaultMaxMerges || sp.Rules.Priority("email") != 2 {
		t.Errorf("default space rules = %+v, want DefaultRules", sp.Rules)
	}
	_, writeKey2, token2, err := DefaultSpaces()
	if err != nil {
		t.Fatal(err)
	}
	if writeKey2 == writeKey || token2 == token {
		t.Errorf("two calls gave the same secrets")
	}
}

func TestSpacesCORS(t *testing.T) {
	s, err := ParseSpaces([]byte(`spaces:
  - id: open
    access_tokens: [tok_open]
    sources: [{id: web, write_key: wk_open}]
  - id: shop
    access_tokens: [tok_shop]
    sources: [{id: web, write_key: wk_shop}]
    cors:
      tracking: ["https://Shop.example.com/"]
      profiles: ["https://support.example.com"]
`))
	if err != nil {
		t.Fatal(err)
	}
	open, _ := s.Get("open")
	shop, _ := s.Get("shop")
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"open: tracking from anywhere", open.CORS.AllowsTracking("https://evil.example"), true},
		{"open: no Profile API", open.CORS.AllowsProfiles("https://support.example.com"), false},
		{"shop: tracking from its site", shop.CORS.AllowsTracking("https://shop.example.com"), true},
		{"shop: tracking from elsewhere", shop.CORS.AllowsTracking("https://evil.example"), false},
		{"shop: Profile API from support", shop.CORS.AllowsProfiles("https://support.example.com"), true},
		{"no origin", open.CORS.AllowsTracking(""), false},
		{"any space, profiles", s.AllowsProfiles("https://support.example.com"), true},
		{"any space, profiles elsewhere", s.AllowsProfiles("https://evil.example"), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	_, err = ParseSpaces([]byte(`spaces:
  - id: bad
    access_tokens: [tok_bad]
    sources: [{id: web, write_key: wk_bad}]
    cors: {tracking: ["shop.example.com", "https://x.example/path"], profiles: "*", extra: 1}
`))
	for _, want := range []string{"spaces[0].cors.tracking[0]", "spaces[0].cors.tracking[1]", "spaces[0].cors.profiles", "spaces[0].cors.extra"} {
		if err == nil || !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("bad cors: %v, want a problem at %s", err, want)
		}
	}
}
