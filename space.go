package idgraph

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Source is where events come from (an app, a website, a backend), named by
// the write key its events are sent with.
type Source struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// WriteKey authenticates the source's events. It is a secret: never
	// logged, never shown.
	WriteKey string `json:"-"`
}

// Space is one separate identity graph with its own sources, access tokens
// and rules.
type Space struct {
	ID string `json:"id"`
	// AccessTokens authenticate the Profile API's requests for the space,
	// each with its name and scopes. Their secrets are never logged, never
	// shown.
	AccessTokens []AccessToken `json:"-"`
	Sources      []Source      `json:"sources"`
	Rules        Rules         `json:"-"`
	// CORS says which web origins may read the space's answers.
	CORS CORS `json:"cors"`
	// Webhooks receive the space's change feed.
	Webhooks []Webhook `json:"-"`
}

// Spaces are the configured spaces, looked up by id, by a source's write key
// or by an access token. A Spaces is read-only once built and safe for
// concurrent use; its lookups return copies that share slices and maps with
// it, which callers must not modify.
type Spaces struct {
	spaces  []Space
	byID    map[string]int
	byToken map[string]tokenRef
	byKey   map[string]sourceRef
}

type (
	sourceRef struct{ space, source int }
	tokenRef  struct{ space, token int }
)

// NewSpaces validates spaces and indexes them. It returns one EINVALID error
// naming every problem by its path (spaces[1].sources[0].write_key), never
// by a secret's value. A source without a name is named by its id.
func NewSpaces(spaces ...Space) (*Spaces, error) {
	if err := validateSpaces(spaces).Err(); err != nil {
		return nil, err
	}
	return buildSpaces(spaces), nil
}

// DefaultSpaces returns one space "default" with one source "default"
// (named "Default source"), the default rules, and a fresh random write key
// and access token, which it also returns. The token is named "default" and
// has every scope.
func DefaultSpaces() (sp *Spaces, writeKey, token string, err error) {
	if writeKey, err = randomSecret("wk_"); err != nil {
		return nil, "", "", err
	}
	if token, err = randomSecret("tok_"); err != nil {
		return nil, "", "", err
	}
	sp, err = NewSpaces(Space{
		ID:           "default",
		AccessTokens: []AccessToken{{Name: "default", Token: token, Scopes: slices.Clone(Scopes)}},
		Sources:      []Source{{ID: "default", Name: "Default source", WriteKey: writeKey}},
		Rules:        DefaultRules(),
	})
	if err != nil {
		return nil, "", "", err
	}
	return sp, writeKey, token, nil
}

// randomSecret returns prefix followed by 192 random bits, URL-safe base64.
func randomSecret(prefix string) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", WrapError(EINTERNAL, err, "generate a secret")
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// BySourceKey returns the space and source a write key belongs to.
func (s *Spaces) BySourceKey(writeKey string) (Space, Source, bool) {
	ref, ok := s.byKey[writeKey]
	if !ok || writeKey == "" {
		return Space{}, Source{}, false
	}
	sp := s.spaces[ref.space]
	return sp, sp.Sources[ref.source], true
}

// ByToken returns the space an access token belongs to, and the token with
// its name and scopes (a plain token's filled in: see AccessToken).
func (s *Spaces) ByToken(token string) (Space, AccessToken, bool) {
	ref, ok := s.byToken[token]
	if !ok || token == "" {
		return Space{}, AccessToken{}, false
	}
	sp := s.spaces[ref.space]
	return sp, sp.AccessTokens[ref.token], true
}

// All returns every space, in configuration order.
func (s *Spaces) All() []Space { return slices.Clone(s.spaces) }

// AllowsTracking reports whether any space lets origin read the tracking
// routes' answers: a browser's preflight names no space yet.
func (s *Spaces) AllowsTracking(origin string) bool {
	return slices.ContainsFunc(s.spaces, func(sp Space) bool { return sp.CORS.AllowsTracking(origin) })
}

// AllowsProfiles is AllowsTracking for the Profile API.
func (s *Spaces) AllowsProfiles(origin string) bool {
	return slices.ContainsFunc(s.spaces, func(sp Space) bool { return sp.CORS.AllowsProfiles(origin) })
}

// Get returns the space with the given id.
func (s *Spaces) Get(id string) (Space, bool) {
	i, ok := s.byID[id]
	if !ok {
		return Space{}, false
	}
	return s.spaces[i], true
}

// buildSpaces indexes valid spaces, copying what callers could change.
func buildSpaces(spaces []Space) *Spaces {
	s := &Spaces{byID: map[string]int{}, byToken: map[string]tokenRef{}, byKey: map[string]sourceRef{}}
	for i, sp := range spaces {
		tokens := make([]AccessToken, len(sp.AccessTokens))
		for j, tok := range sp.AccessTokens {
			tokens[j] = tok.resolved()
			s.byToken[tok.Token] = tokenRef{space: i, token: j}
		}
		sp.AccessTokens = tokens
		sp.CORS = CORS{Tracking: normalizeOrigins(sp.CORS.Tracking), Profiles: normalizeOrigins(sp.CORS.Profiles)}
		sp.Sources = slices.Clone(sp.Sources)
		sp.Webhooks = slices.Clone(sp.Webhooks)
		types := make(map[string]IdentifierRule, len(sp.Rules.Types))
		for t, rule := range sp.Rules.Types {
			rule.Type = t
			types[t] = rule
		}
		sp.Rules.Types = types
		for j := range sp.Sources {
			if sp.Sources[j].Name == "" {
				sp.Sources[j].Name = sp.Sources[j].ID
			}
			s.byKey[sp.Sources[j].WriteKey] = sourceRef{space: i, source: j}
		}
		s.byID[sp.ID] = i
		s.spaces = append(s.spaces, sp)
	}
	return s
}

// validateSpaces returns every problem of spaces, named by path.
func validateSpaces(spaces []Space) Problems {
	var ps Problems
	spaceIDs := map[string]string{}
	secrets := map[string]string{} // write keys and access tokens: path of first use
	// secret reports whether the secret v at path is valid and new.
	secret := func(path, v string) bool {
		switch {
		case v == "":
			ps.Add(path, "missing")
			return false
		case strings.ContainsAny(v, ": \t\r\n"):
			ps.Add(path, "must not contain whitespace or ':' (it is sent as an HTTP Basic username)")
			return false
		}
		if first, ok := secrets[v]; ok {
			ps.Add(path, "same value as %s: write keys and access tokens must all differ", first)
			return false
		}
		secrets[v] = path
		return true
	}
	for i, sp := range spaces {
		p := fmt.Sprintf("spaces[%d]", i)
		if checkID(&ps, p+".id", sp.ID) {
			if first, ok := spaceIDs[sp.ID]; ok {
				ps.Add(p+".id", "duplicate space id %q (also %s)", sp.ID, first)
			} else {
				spaceIDs[sp.ID] = p
			}
		}
		validateAccessTokens(&ps, p+".access_tokens", sp.AccessTokens, secret)
		if len(sp.Sources) == 0 {
			ps.Add(p+".sources", "a space needs at least one source")
		}
		sourceIDs := map[string]string{}
		for j, src := range sp.Sources {
			q := fmt.Sprintf("%s.sources[%d]", p, j)
			if checkID(&ps, q+".id", src.ID) {
				if first, ok := sourceIDs[src.ID]; ok {
					ps.Add(q+".id", "duplicate source id %q (also %s)", src.ID, first)
				} else {
					sourceIDs[src.ID] = q
				}
			}
			secret(q+".write_key", src.WriteKey)
		}
		validateRules(&ps, p+".rules", sp.Rules)
		validateOrigins(&ps, p+".cors.tracking", sp.CORS.Tracking)
		validateOrigins(&ps, p+".cors.profiles", sp.CORS.Profiles)
		validateWebhooks(&ps, p+".webhooks", sp.Webhooks)
	}
	return ps
}

// validateRules checks rules built in Go; ParseSpaces reports the same
// problems by their YAML path before they get here.
func validateRules(ps *Problems, path string, r Rules) {
	if r.MaxMerges < 0 {
		ps.Add(path+".max_merges", "must not be negative")
	}
	if r.MaxIdentifiers < 0 {
		ps.Add(path+".max_identifiers", "must not be negative")
	}
	for _, t := range r.typeNames() {
		rule := r.Types[t]
		p := fmt.Sprintf("%s.types[%s]", path, strconv.Quote(t))
		if rule.Type != "" && rule.Type != t {
			ps.Add(p+".type", "%q differs from its key %q", rule.Type, t)
		}
		rule.Type = t
		validateRule(ps, p, rule)
	}
}

// validateRule checks one identifier rule; path names it.
func validateRule(ps *Problems, path string, rule IdentifierRule) {
	checkID(ps, path+".type", rule.Type)
	if rule.Priority < 0 {
		ps.Add(path+".priority", "must not be negative")
	}
	if rule.Limit < 0 {
		ps.Add(path+".limit", "must not be negative")
	}
	if _, err := ParseWindow(string(rule.Window)); err != nil {
		ps.Add(path+".window", "%s", ErrorMessage(err))
	}
	if rule.Trait != "" && rule.Property != "" {
		ps.Add(path+".property", "set trait or property, not both")
	}
	if rule.Type == TypeGroupID && (rule.Trait != "" || rule.Property != "" || rule.Priority != 0 || rule.Limit != 0) {
		ps.Add(path+".type", "group_id names accounts, never a user: only blocked applies to it")
	}
}

// checkID reports a missing id, one over MaxIDBytes or one with characters
// outside [A-Za-z0-9_.-], and whether the id is valid.
func checkID(ps *Problems, path, id string) bool {
	switch {
	case id == "":
		ps.Add(path, "missing")
	case len(id) > MaxIDBytes:
		ps.Add(path, "%d bytes: at most %d", len(id), MaxIDBytes)
	case !validID(id):
		ps.Add(path, "%q has characters outside [A-Za-z0-9_.-]", id)
	default:
		return true
	}
	return false
}
