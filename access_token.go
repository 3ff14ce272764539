package idgraph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
)

// Scope is what an access token may do in its space.
type Scope string

// The scopes. Admin implies read: whoever may correct a profile may look at
// it, as they must to know what to correct.
const (
	// ScopeRead allows the Profile API's reads: traits, external_ids,
	// events, metadata, explain, history and graph.
	ScopeRead Scope = "read"
	// ScopeAdmin allows corrections and deletes, and reads.
	ScopeAdmin Scope = "admin"
)

// Scopes lists every scope, in the order messages name them.
var Scopes = []Scope{ScopeRead, ScopeAdmin}

// AccessToken authenticates Profile API requests for one space.
//
// A token with neither a name nor scopes is the plain form (a bare string
// in YAML): it has both scopes and is named by DerivedTokenName. Otherwise
// both a name and at least one scope are required.
type AccessToken struct {
	// Name says who uses the token; it is the actor that the audit trail
	// records for corrections made with it.
	Name string `json:"name"`
	// Token is the secret, sent as the HTTP Basic username: never logged,
	// never shown.
	Token  string  `json:"-"`
	Scopes []Scope `json:"scopes"`
}

// Allows reports whether the token has scope; admin implies read.
func (t AccessToken) Allows(scope Scope) bool {
	return slices.Contains(t.Scopes, scope) || scope == ScopeRead && slices.Contains(t.Scopes, ScopeAdmin)
}

// String names the token and its scopes, never the secret, so that a
// token or a Space printed with %v or %+v cannot leak it.
func (t AccessToken) String() string {
	return fmt.Sprintf("%s %v", t.Name, t.Scopes)
}

// plain reports whether t is the plain form: neither a name nor scopes.
func (t AccessToken) plain() bool { return t.Name == "" && t.Scopes == nil }

// resolved returns t with a plain form's name and scopes filled in.
func (t AccessToken) resolved() AccessToken {
	if t.plain() {
		t.Name, t.Scopes = DerivedTokenName(t.Token), slices.Clone(Scopes)
	}
	t.Scopes = slices.Clone(t.Scopes)
	return t
}

// DerivedTokenName names a plain-form token: "token-" and the first 8 hex
// digits of the secret's SHA-256. Unlike a position, it stays the same when
// the list is reordered or a token is removed, so an audit entry never comes
// to point at another token; it changes exactly when the secret does. It
// tells nothing about a random secret (DefaultSpaces makes 192-bit ones); a
// guessable secret is weak with or without it. Operators find which token a
// name stands for with `printf %s "$TOKEN" | sha256sum | cut -c1-8`.
func DerivedTokenName(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "token-" + hex.EncodeToString(sum[:4])
}

// validateAccessTokens checks a space's tokens (path names the list);
// secret checks the secret at a path. A plain token's secret is at
// path[j], a named one's at path[j].token.
func validateAccessTokens(ps *Problems, path string, tokens []AccessToken, secret func(path, v string) bool) {
	if len(tokens) == 0 {
		ps.Add(path, "a space needs at least one access token")
	}
	names := map[string]string{} // name: path of first use
	for j, tok := range tokens {
		p := fmt.Sprintf("%s[%d]", path, j)
		if tok.plain() {
			if secret(p, tok.Token) {
				name := DerivedTokenName(tok.Token)
				if first, dup := names[name]; dup {
					ps.Add(p, "its derived name %q is also %s's: give one of them a name", name, first)
				} else {
					names[name] = p
				}
			}
			continue
		}
		secret(p+".token", tok.Token)
		if checkID(ps, p+".name", tok.Name) {
			if first, dup := names[tok.Name]; dup {
				ps.Add(p+".name", "duplicate token name %q (also %s)", tok.Name, first)
			} else {
				names[tok.Name] = p
			}
		}
		if len(tok.Scopes) == 0 {
			ps.Add(p+".scopes", "missing: want %s", scopeList())
		}
		seen := map[Scope]bool{}
		for k, s := range tok.Scopes {
			q := fmt.Sprintf("%s.scopes[%d]", p, k)
			switch {
			case !slices.Contains(Scopes, s):
				ps.Add(q, "unknown scope %q: want %s", s, scopeList())
			case seen[s]:
				ps.Add(q, "duplicate scope %q", s)
			}
			seen[s] = true
		}
	}
}

// scopeList names the scopes for messages: "read or admin".
func scopeList() string {
	return fmt.Sprintf("%s or %s (admin implies read)", ScopeRead, ScopeAdmin)
}
