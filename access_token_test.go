package idgraph

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestAccessTokenAllows(t *testing.T) {
	tests := []struct {
		scopes      []Scope
		read, admin bool
	}{
		{[]Scope{ScopeRead}, true, false},
		{[]Scope{ScopeAdmin}, true, true}, // admin implies read
		{[]Scope{ScopeRead, ScopeAdmin}, true, true},
		{nil, false, false},
	}
	for _, tt := range tests {
		tok := AccessToken{Name: "x", Token: "tok_x", Scopes: tt.scopes}
		if got := tok.Allows(ScopeRead); got != tt.read {
			t.Errorf("%v: Allows(read) = %v, want %v", tt.scopes, got, tt.read)
		}
		if got := tok.Allows(ScopeAdmin); got != tt.admin {
			t.Errorf("%v: Allows(admin) = %v, want %v", tt.scopes, got, tt.admin)
		}
	}
}

func TestAccessTokenPrintsNoSecret(t *testing.T) {
	s, err := NewSpaces(Space{
		ID:           "s",
		AccessTokens: []AccessToken{{Token: "tok_plain_secret"}, {Name: "ops", Token: "tok_ops_secret", Scopes: []Scope{ScopeAdmin}}},
		Sources:      []Source{{ID: "src", WriteKey: "wk_1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sp, tok, _ := s.ByToken("tok_ops_secret")
	for _, out := range []string{fmt.Sprintf("%v %+v %s", tok, tok, tok), fmt.Sprintf("%v %+v", sp, sp)} {
		if strings.Contains(out, "_secret") {
			t.Errorf("printed %q, which shows a secret", out)
		}
	}
	if got := tok.String(); got != "ops [admin]" {
		t.Errorf("String() = %q, want %q", got, "ops [admin]")
	}
}

func TestDerivedTokenName(t *testing.T) {
	name := DerivedTokenName("tok_plain_secret")
	if !regexp.MustCompile(`^token-[0-9a-f]{8}$`).MatchString(name) {
		t.Errorf("DerivedTokenName = %q, want token- and 8 hex digits", name)
	}
	if strings.Contains(name, "plain") || strings.Contains(name, "secret") {
		t.Errorf("DerivedTokenName = %q shows part of the secret", name)
	}
	if again := DerivedTokenName("tok_plain_secret"); again != name {
		t.Errorf("DerivedTokenName gave %q, then %q: want it stable", name, again)
	}
	if other := DerivedTokenName("tok_plain_secreT"); other == name {
		t.Errorf("two secrets got the same name %q", name)
	}
}

func TestParseAccessTokens(t *testing.T) {
	s, err := ParseSpaces([]byte(`
spaces:
  - id: shop
    access_tokens:
      - "tok_plain"
      - {name: support, token: "tok_support", scopes: [read]}
      - {name: ops, token: "tok_ops", scopes: [read, admin]}
      - name: oncall
        token: tok_oncall
        scopes: [admin]
    sources: [{id: web, write_key: wk_web}]
  - id: other
    access_tokens: [{name: support, token: "tok_other_support", scopes: [read]}]
    sources: [{id: web, write_key: wk_other}]
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		token, space, name string
		read, admin        bool
	}{
		{"tok_plain", "shop", DerivedTokenName("tok_plain"), true, true}, // the old form has both scopes
		{"tok_support", "shop", "support", true, false},
		{"tok_ops", "shop", "ops", true, true},
		{"tok_oncall", "shop", "oncall", true, true},
		{"tok_other_support", "other", "support", true, false}, // names need only differ within a space
	}
	for _, tt := range tests {
		sp, tok, ok := s.ByToken(tt.token)
		if !ok || sp.ID != tt.space || tok.Name != tt.name || tok.Token != tt.token {
			t.Errorf("ByToken(%q) = %q, %q, %v; want %q, %q", tt.token, sp.ID, tok.Name, ok, tt.space, tt.name)
		}
		if tok.Allows(ScopeRead) != tt.read || tok.Allows(ScopeAdmin) != tt.admin {
			t.Errorf("%s: scopes %v, want read %v, admin %v", tt.name, tok.Scopes, tt.read, tt.admin)
		}
	}
	shop, _ := s.Get("shop")
	if got := shop.AccessTokens[0].Scopes; !slices.Equal(got, Scopes) {
		t.Errorf("plain token's scopes = %v, want %v", got, Scopes)
	}
}

func TestParseAccessTokensErrors(t *testing.T) {
	const sources = "    sources: [{id: app, write_key: wk_app_secret}]\n"
	tests := []struct {
		name   string
		tokens string // the space's access_tokens value
		want   []string
		msgs   []string
	}{
		{
			"unknown and duplicate scopes",
			`[{name: a, token: tok_a_secret, scopes: [read, x, read, Admin]}]`,
			[]string{"spaces[0].access_tokens[0].scopes[1]", "spaces[0].access_tokens[0].scopes[2]", "spaces[0].access_tokens[0].scopes[3]"},
			[]string{
				`spaces[0].access_tokens[0].scopes[1]: unknown scope "x": want read or admin`,
				`spaces[0].access_tokens[0].scopes[2]: duplicate scope "read"`,
				`spaces[0].access_tokens[0].scopes[3]: unknown scope "Admin"`,
			},
		},
		{
			"missing token, name and scopes",
			`[{name: a, scopes: [read]}, {token: tok_b_secret, scopes: [read]}, {name: c, token: tok_c_secret}, {name: d, token: tok_d_secret, scopes: []}, {}]`,
			[]string{
				"spaces[0].access_tokens[0].token",
				"spaces[0].access_tokens[1].name",
				"spaces[0].access_tokens[2].scopes",
				"spaces[0].access_tokens[3].scopes",
				"spaces[0].access_tokens[4].token", "spaces[0].access_tokens[4].name", "spaces[0].access_tokens[4].scopes",
			},
			[]string{"spaces[0].access_tokens[0].token: missing", "spaces[0].access_tokens[2].scopes: missing: want read or admin"},
		},
		{
			"duplicate names",
			`[{name: ops, token: tok_1_secret, scopes: [read]}, {name: ops, token: tok_2_secret, scopes: [admin]}, "tok_3_secret", {name: ` +
				DerivedTokenName("tok_3_secret") + `, token: tok_4_secret, scopes: [read]}]`,
			[]string{"spaces[0].access_tokens[1].name", "spaces[0].access_tokens[3].name"},
			[]string{
				`spaces[0].access_tokens[1].name: duplicate token name "ops" (also spaces[0].access_tokens[0])`,
				`spaces[0].access_tokens[3].name: duplicate token name "token-`,
			},
		},
		{
			"a plain token whose derived name is taken",
			`[{name: ` + DerivedTokenName("tok_3_secret") + `, token: tok_4_secret, scopes: [read]}, "tok_3_secret"]`,
			[]string{"spaces[0].access_tokens[1]"},
			[]string{`spaces[0].access_tokens[1]: its derived name "token-`, "is also spaces[0].access_tokens[0]'s: give one of them a name"},
		},
		{
			"the same secret twice",
			`["tok_1_secret", {name: b, token: tok_1_secret, scopes: [read]}]`,
			[]string{"spaces[0].access_tokens[1].token"},
			[]string{"same value as spaces[0].access_tokens[0]"},
		},
		{
			"a named token's secret with a colon",
			`[{name: a, token: "tok:a_secret", scopes: [read]}]`,
			[]string{"spaces[0].access_tokens[0].token"},
			[]string{"must not contain whitespace or ':'"},
		},
		{
			"a name with bad characters",
			`[{name: "on call", token: tok_a_secret, scopes: [read]}]`,
			[]string{"spaces[0].access_tokens[0].name"},
			[]string{`"on call" has characters outside [A-Za-z0-9_.-]`},
		},
		{
			"wrong types and unknown fields",
			`[{name: 7, token: tok_a_secret, scopes: read}, {name: b, token: [tok_b_secret], scopes: [1]}, {name: c, token: tok_c_secret, scopes: [read], scope: admin}, 12]`,
			[]string{
				"spaces[0].access_tokens[0].name", "spaces[0].access_tokens[0].scopes",
				"spaces[0].access_tokens[1].token", "spaces[0].access_tokens[1].scopes[0]",
				"spaces[0].access_tokens[2].scope",
				"spaces[0].access_tokens[3]",
			},
			[]string{
				"spaces[0].access_tokens[0].scopes: want a list, got a string",
				"spaces[0].access_tokens[1].token: want a string, got a list",
				"spaces[0].access_tokens[2].scope: unknown field: want one of name, token, scopes",
				"spaces[0].access_tokens[3]: want a string or a mapping (name, token, scopes), got a number",
			},
		},
	}
	secret := regexp.MustCompile(`(tok|wk)_[a-z_0-9]+`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yaml := "spaces:\n  - id: s\n    access_tokens: " + tt.tokens + "\n" + sources
			s, err := ParseSpaces([]byte(yaml))
			if err == nil {
				t.Fatalf("ParseSpaces = %+v, want an error", s.spaces)
			}
			if got := problemFields(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("problem fields:\n got %q\nwant %q\n(error: %v)", got, tt.want, err)
			}
			for _, sub := range tt.msgs {
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

// TestNewSpacesValidatesAccessTokens checks that tokens built in Go are held
// to what ParseSpaces holds YAML to.
func TestNewSpacesValidatesAccessTokens(t *testing.T) {
	_, err := NewSpaces(Space{
		ID: "s",
		AccessTokens: []AccessToken{
			{Token: "tok_plain"},
			{Name: "named", Token: "tok_named"},                         // no scopes
			{Token: "tok_scoped", Scopes: []Scope{ScopeRead}},           // no name
			{Name: "named", Token: "tok_2", Scopes: []Scope{"write"}},   // duplicate name, unknown scope
			{Name: "empty", Token: "tok_3", Scopes: []Scope{}},          // no scopes
			{Name: "nosecret", Scopes: []Scope{ScopeAdmin, ScopeAdmin}}, // no token, duplicate scope
			{Token: "tok_plain"},
		},
		Sources: []Source{{ID: "src", WriteKey: "wk_1"}},
		Rules:   DefaultRules(),
	})
	want := []string{
		"spaces[0].access_tokens[1].scopes",
		"spaces[0].access_tokens[2].name",
		"spaces[0].access_tokens[3].name", "spaces[0].access_tokens[3].scopes[0]",
		"spaces[0].access_tokens[4].scopes",
		"spaces[0].access_tokens[5].token", "spaces[0].access_tokens[5].scopes[1]",
		"spaces[0].access_tokens[6]",
	}
	if got := problemFields(t, err); !slices.Equal(got, want) {
		t.Errorf("problem fields:\n got %q\nwant %q\n(error: %v)", got, want, err)
	}
	if err != nil && strings.Contains(err.Error(), "tok_") {
		t.Errorf("error %q shows a secret", err)
	}
}
