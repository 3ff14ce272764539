package idgraph

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// ParseSpaces reads spaces from YAML:
//
//	spaces:
//	  - id: default
//	    access_tokens:
//	      - "tok_..."                                   # plain: both scopes, name derived
//	      - {name: support, token: "tok_...", scopes: [read]}
//	      - {name: ops, token: "tok_...", scopes: [admin]}  # admin implies read
//	    sources:
//	      - {id: segkicks, name: "Mobile (segkicks)", write_key: "wk_..."}
//	    blocked: ["/^test-/", "n/a"]  # added to DefaultBlocked...
//	    default_blocked: true         # ...unless this is false
//	    max_merges: 100               # 0 means no cap
//	    max_identifiers: 1000         # 0 means no cap
//	    cors:                         # browsers' origins (see CORS)
//	      tracking: ["https://shop.example.com"]  # absent: any origin
//	      profiles: ["https://support.example.com"]  # absent: none
//	    identifiers:                  # merged over DefaultRules, field by field
//	      - {type: user_id, priority: 1, limit: 1, window: ever}
//	      - {type: anonymous_id, limit: 5, window: weekly, blocked: ["/^anon-test/"]}
//	      - {type: phone, priority: 4, trait: phone}
//	    webhooks:                     # the change feed, POSTed as it grows
//	      - {url: "https://crm.example.com/idgraph", secret: "at least 16 characters"}
//	    shared: {enabled: true, min_people: 2, window: ever}  # see sharedRules
//	    segment_compatible: false     # true: Segment's rules exactly (shared off)
//
// Everything but id, access_tokens and sources is optional. An access token
// is a plain string (the older form: both scopes, named by
// DerivedTokenName) or a mapping with all of name, token and scopes (see
// AccessToken). Bad config is
// refused with one EINVALID error naming every problem by its path
// (spaces[0].identifiers[1].window), unknown fields included; secrets are
// named by position, never shown.
func ParseSpaces(data []byte) (*Spaces, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			pos := ye.GetToken().Position
			return nil, Problems{{Field: "yaml", Message: fmt.Sprintf("line %d, column %d: %s", pos.Line, pos.Column, ye.GetMessage())}}.Err()
		}
		return nil, Problems{{Field: "yaml", Message: "invalid YAML"}}.Err()
	}
	var ps Problems
	d := yamlDoc{ps: &ps}
	root := d.mapping("", doc, "spaces")
	items := d.list("spaces", root["spaces"])
	if len(items) == 0 && !d.bad["spaces"] {
		ps.Add("spaces", "at least one space is required")
	}
	spaces := make([]Space, 0, len(items))
	for i, item := range items {
		spaces = append(spaces, d.space(fmt.Sprintf("spaces[%d]", i), item))
	}
	// Structural problems (ids, keys, tokens) are found on the built spaces;
	// a field already reported, say of the wrong type, is not reported again
	// as missing.
	for _, p := range validateSpaces(spaces) {
		if !d.reported(p.Field) {
			ps = append(ps, p)
		}
	}
	// Problems read best space by space.
	slices.SortStableFunc(ps, func(a, b Problem) int { return spaceIndex(a.Field) - spaceIndex(b.Field) })
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return buildSpaces(spaces), nil
}

// spaceIndex returns i of a path under spaces[i], else -1.
func spaceIndex(path string) int {
	rest, ok := strings.CutPrefix(path, "spaces[")
	if !ok {
		return -1
	}
	n, _, _ := strings.Cut(rest, "]")
	i, err := strconv.Atoi(n)
	if err != nil {
		return -1
	}
	return i
}

// space reads one space; problems it cannot represent in a Space (wrong
// types, unknown fields, bad rules) are reported here, the rest by
// validateSpaces.
func (d *yamlDoc) space(path string, v any) Space {
	m := d.mapping(path, v, "id", "access_tokens", "sources", "blocked", "default_blocked",
		"max_merges", "max_identifiers", "identifiers", "cors", "webhooks", "shared", "segment_compatible")
	return Space{
		ID:           d.str(joinPath(path, "id"), m["id"]),
		AccessTokens: d.accessTokens(joinPath(path, "access_tokens"), m["access_tokens"]),
		Sources:      d.sources(joinPath(path, "sources"), m["sources"]),
		Rules:        d.rules(path, m),
		CORS:         d.cors(joinPath(path, "cors"), m["cors"]),
		Webhooks:     d.webhooks(joinPath(path, "webhooks"), m["webhooks"]),
	}
}

// cors reads a space's CORS origins: tracking (absent: any origin) and
// profiles (absent: none).
func (d *yamlDoc) cors(path string, v any) CORS {
	if v == nil {
		return CORS{}
	}
	m := d.mapping(path, v, "tracking", "profiles")
	var c CORS
	if t, ok := m["tracking"]; ok {
		c.Tracking = append([]string{}, d.strings(joinPath(path, "tracking"), t, false)...)
	}
	if p, ok := m["profiles"]; ok {
		c.Profiles = append([]string{}, d.strings(joinPath(path, "profiles"), p, false)...)
	}
	return c
}

// webhooks reads a space's webhooks; validateSpaces checks them.
func (d *yamlDoc) webhooks(path string, v any) []Webhook {
	var hooks []Webhook
	for j, item := range d.list(path, v) {
		p := fmt.Sprintf("%s[%d]", path, j)
		m := d.mapping(p, item, "url", "secret")
		hooks = append(hooks, Webhook{
			URL:    d.str(joinPath(p, "url"), m["url"]),
			Secret: d.str(joinPath(p, "secret"), m["secret"]),
		})
	}
	return hooks
}

// accessTokens reads a space's access tokens, each a plain string or a
// mapping. A bad item reads as a missing plain token, so later items keep
// their index; a mapping always reads as the named form, so validateSpaces
// wants its name and scopes.
func (d *yamlDoc) accessTokens(path string, v any) []AccessToken {
	var tokens []AccessToken
	for j, item := range d.list(path, v) {
		p := fmt.Sprintf("%s[%d]", path, j)
		switch item := item.(type) {
		case string:
			tokens = append(tokens, AccessToken{Token: item})
		case map[string]any:
			m := d.mapping(p, item, "name", "token", "scopes")
			tok := AccessToken{
				Name:   d.str(joinPath(p, "name"), m["name"]),
				Token:  d.str(joinPath(p, "token"), m["token"]),
				Scopes: []Scope{},
			}
			for _, s := range d.strings(joinPath(p, "scopes"), m["scopes"], false) {
				tok.Scopes = append(tok.Scopes, Scope(s))
			}
			tokens = append(tokens, tok)
		default:
			d.add(p, "want a string or a mapping (name, token, scopes), got %s", yamlKind(item))
			tokens = append(tokens, AccessToken{})
		}
	}
	return tokens
}

// sources reads a space's sources.
func (d *yamlDoc) sources(path string, v any) []Source {
	var sources []Source
	for j, item := range d.list(path, v) {
		p := fmt.Sprintf("%s[%d]", path, j)
		sm := d.mapping(p, item, "id", "name", "write_key")
		sources = append(sources, Source{
			ID:       d.str(joinPath(p, "id"), sm["id"]),
			Name:     d.str(joinPath(p, "name"), sm["name"]),
			WriteKey: d.str(joinPath(p, "write_key"), sm["write_key"]),
		})
	}
	return sources
}

// rules reads a space's rules (m is the space's mapping at path), laid over
// DefaultRules.
func (d *yamlDoc) rules(path string, m map[string]any) Rules {
	rules := DefaultRules()
	blocked := d.strings(joinPath(path, "blocked"), m["blocked"], true)
	bl, ok := d.blocklist(joinPath(path, "blocked"), blocked)
	useDefault, set := d.boolean(joinPath(path, "default_blocked"), m["default_blocked"])
	if ok && (useDefault || !set) {
		bl, _ = ParseBlocklist(append(slices.Clone(DefaultBlocked), blocked...))
	}
	if ok {
		rules.Blocked = bl
	}
	if n, set := d.count(joinPath(path, "max_merges"), m["max_merges"]); set {
		rules.MaxMerges = n
	}
	if n, set := d.count(joinPath(path, "max_identifiers"), m["max_identifiers"]); set {
		rules.MaxIdentifiers = n
	}
	rules.Shared = d.sharedRules(path, m)
	seen := map[string]string{}
	for k, item := range d.list(joinPath(path, "identifiers"), m["identifiers"]) {
		p := joinPath(path, fmt.Sprintf("identifiers[%d]", k))
		rule, ok := d.rule(p, item)
		if !ok {
			continue
		}
		if first, dup := seen[rule.Type]; dup {
			d.add(joinPath(p, "type"), "duplicate identifier type %q (also %s)", rule.Type, first)
			continue
		}
		seen[rule.Type] = p
		rules.Types[rule.Type] = mergeRule(rules.Types[rule.Type], rule)
	}
	return rules
}

// rule reads one identifier rule; ok is false when it has a problem.
func (d *yamlDoc) rule(path string, v any) (IdentifierRule, bool) {
	before := len(*d.ps)
	m := d.mapping(path, v, "type", "priority", "limit", "window", "blocked", "trait", "property")
	rule := IdentifierRule{
		Type:     d.str(joinPath(path, "type"), m["type"]),
		Trait:    d.str(joinPath(path, "trait"), m["trait"]),
		Property: d.str(joinPath(path, "property"), m["property"]),
	}
	rule.Priority, _ = d.integer(joinPath(path, "priority"), m["priority"])
	rule.Limit, _ = d.integer(joinPath(path, "limit"), m["limit"])
	if s := d.str(joinPath(path, "window"), m["window"]); s != "" {
		w, err := ParseWindow(s)
		if err != nil {
			d.add(joinPath(path, "window"), "%s", ErrorMessage(err))
		}
		rule.Window = w
	}
	blocked := d.strings(joinPath(path, "blocked"), m["blocked"], true)
	rule.Blocked, _ = d.blocklist(joinPath(path, "blocked"), blocked)
	var ps Problems
	validateRule(&ps, path, rule)
	for _, p := range ps {
		if !d.reported(p.Field) {
			d.add(p.Field, "%s", p.Message)
		}
	}
	return rule, len(*d.ps) == before
}

// mergeRule lays a configured rule over a default one: the fields it sets
// win; setting trait or property replaces both.
func mergeRule(base, over IdentifierRule) IdentifierRule {
	base.Type = over.Type
	if over.Priority != 0 {
		base.Priority = over.Priority
	}
	if over.Limit != 0 {
		base.Limit = over.Limit
	}
	if over.Window != "" {
		base.Window = over.Window
	}
	if len(over.Blocked.Values()) > 0 {
		base.Blocked = over.Blocked
	}
	if over.Trait != "" || over.Property != "" {
		base.Trait, base.Property = over.Trait, over.Property
	}
	return base
}

// blocklist parses values, reporting bad regular expressions at
// path[i]; ok is false when there was one.
func (d *yamlDoc) blocklist(path string, values []string) (Blocklist, bool) {
	bl, err := ParseBlocklist(values)
	var e *Error
	if err != nil && errors.As(err, &e) {
		for _, p := range e.Problems {
			d.add(path+strings.TrimPrefix(p.Field, "blocked"), "%s", p.Message)
		}
		return bl, false
	}
	return bl, err == nil
}
