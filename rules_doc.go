package idgraph

import (
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/goccy/go-yaml"
)

// RulesDocument is a space's rules as people write them: the rules part of
// a space in the YAML spaces file (ParseSpaces), or the same as JSON in a
// simulation's request. Document and ParseRules turn Rules into one and
// back, so a version stored in the graph reads as it was promoted.
type RulesDocument struct {
	Blocked        []string            `json:"blocked"`
	DefaultBlocked bool                `json:"default_blocked"`
	MaxMerges      int                 `json:"max_merges"`
	MaxIdentifiers int                 `json:"max_identifiers"`
	Identifiers    []IdentifierRuleDoc `json:"identifiers"`
	// Shared is the shared-identifier rules (the spaces file's shared:
	// section); nil with SegmentCompatible, which turns them off.
	Shared            *SharedRulesDoc `json:"shared,omitempty"`
	SegmentCompatible bool            `json:"segment_compatible"`
}

// SharedRulesDoc is the shared: section of a RulesDocument (SharedRules).
type SharedRulesDoc struct {
	Enabled           bool     `json:"enabled"`
	Types             []string `json:"types,omitempty"`
	MinPeople         int      `json:"min_people,omitempty"`
	Window            Window   `json:"window,omitempty"`
	KioskAnonymousIDs int      `json:"kiosk_anonymous_ids"`
	KioskWindow       Window   `json:"kiosk_window,omitempty"`
	AccountDevices    int      `json:"account_devices"`
}

// IdentifierRuleDoc is one identifier type's rule in a RulesDocument.
type IdentifierRuleDoc struct {
	Type     string   `json:"type"`
	Priority int      `json:"priority,omitempty"`
	Limit    int      `json:"limit,omitempty"`
	Window   Window   `json:"window,omitempty"`
	Blocked  []string `json:"blocked,omitempty"`
	Trait    string   `json:"trait,omitempty"`
	Property string   `json:"property,omitempty"`
}

// Document returns r as a document that ParseRules reads back to the same
// rules: every blocked value spelled out (default_blocked false), every
// type in alphabetical order, the shared: section in full, or
// segment_compatible when shared identifiers are off altogether (the zero
// SharedRules).
func (r Rules) Document() RulesDocument {
	doc := RulesDocument{
		Blocked:        slices.Clone(r.Blocked.Values()),
		MaxMerges:      r.MaxMerges,
		MaxIdentifiers: r.MaxIdentifiers,
		Identifiers:    []IdentifierRuleDoc{},
	}
	if doc.Blocked == nil {
		doc.Blocked = []string{}
	}
	if sh := r.Shared; sh.Enabled || !reflect.DeepEqual(sh, SharedRules{}) {
		doc.Shared = &SharedRulesDoc{
			Enabled: sh.Enabled, Types: slices.Clone(sh.Types), MinPeople: sh.MinPeople, Window: sh.Window,
			KioskAnonymousIDs: sh.KioskAnonymousIDs, KioskWindow: sh.KioskWindow, AccountDevices: sh.AccountDevices,
		}
	} else {
		doc.SegmentCompatible = true
	}
	for _, t := range r.typeNames() {
		rule := r.Types[t]
		doc.Identifiers = append(doc.Identifiers, IdentifierRuleDoc{
			Type: t, Priority: rule.Priority, Limit: rule.Limit, Window: rule.Window,
			Blocked: slices.Clone(rule.Blocked.Values()), Trait: rule.Trait, Property: rule.Property,
		})
	}
	return doc
}

// ParseRules reads a rules document, in YAML or JSON (a JSON document is
// YAML too), laid over DefaultRules as a space's rules in the spaces file
// are:
//
//	blocked: ["/^test-/"]
//	default_blocked: true
//	max_merges: 100
//	max_identifiers: 1000
//	identifiers:
//	  - {type: anonymous_id, limit: 10, window: ever}
//	shared: {enabled: true, min_people: 2, window: ever}
//	segment_compatible: false
//
// Bad rules are refused with one EINVALID error naming every problem by its
// field (identifiers[1].window), unknown fields included: the same
// validation as ParseSpaces, under the same names without the space's path.
func ParseRules(data []byte) (Rules, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			pos := ye.GetToken().Position
			return Rules{}, Problems{{Field: "rules", Message: fmt.Sprintf("line %d, column %d: %s", pos.Line, pos.Column, ye.GetMessage())}}.Err()
		}
		return Rules{}, Problems{{Field: "rules", Message: "invalid YAML or JSON"}}.Err()
	}
	if doc == nil {
		return Rules{}, Problems{{Field: "rules", Message: "missing: want a rules document"}}.Err()
	}
	var ps Problems
	d := yamlDoc{ps: &ps}
	m := d.mapping("", doc, "blocked", "default_blocked", "max_merges", "max_identifiers", "identifiers", "shared", "segment_compatible")
	rules := d.rules("", m)
	if err := ps.Err(); err != nil {
		return Rules{}, err
	}
	for t, rule := range rules.Types {
		rule.Type = t
		rules.Types[t] = rule
	}
	return rules, nil
}

// typeNames returns the types r has a rule for, sorted.
func (r Rules) typeNames() []string {
	types := make([]string, 0, len(r.Types))
	for t := range r.Types {
		types = append(types, t)
	}
	slices.Sort(types)
	return types
}
