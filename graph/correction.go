package graph

import (
	"encoding/json"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// correctionEntry reads one row of find_corrections: a correction's own
// history entry, with its evidence decoded.
func correctionEntry(rec *neo4j.Record) (idgraph.HistoryEntry, error) {
	var e idgraph.HistoryEntry
	var text string
	err := readStrings(rec, map[string]*string{
		"id": &e.CorrectionID, "kind": &e.Kind, "actor": &e.Actor,
		"reason": &e.Reason, "profile_id": &e.ProfileID, "detail": &text,
	})
	if err != nil {
		return e, err
	}
	if e.At, err = readTime(rec, "at"); err != nil {
		return e, err
	}
	if e.Detail, err = decodeCorrectionDetail(text); err != nil {
		return e, idgraph.WrapError(idgraph.EINTERNAL, err, "correction %s: read its detail", e.CorrectionID)
	}
	return e, nil
}

// storedDetail is a Correction's detail as the graph keeps it (JSON text,
// identifiers as "type:value"): for a split or an identifier removal, the
// links cut, the parts and the never decisions made; for a linked or
// unlinked correction, the decision.
type storedDetail struct {
	Cut []struct {
		A     string `json:"a"`
		B     string `json:"b"`
		Count int    `json:"count"`
	} `json:"cut"`
	Parts []struct {
		ProfileID   string   `json:"profile_id"`
		Identifiers []string `json:"identifiers"`
		Kept        bool     `json:"kept"`
	} `json:"parts"`
	Never      []string `json:"never"`
	DecisionID string   `json:"decision_id"`
	Decision   string   `json:"decision"`
	A          string   `json:"a"`
	B          string   `json:"b"`
	// RulesVersion is the version a rules_changed correction made active.
	RulesVersion int `json:"rules_version"`
}

// decodeCorrectionDetail turns a Correction's stored detail into the
// evidence history shows; nil for none.
func decodeCorrectionDetail(text string) (*idgraph.CorrectionDetail, error) {
	if text == "" {
		return nil, nil
	}
	var s storedDetail
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		return nil, err
	}
	var d idgraph.CorrectionDetail
	var err error
	for _, c := range s.Cut {
		l := idgraph.CutLink{Count: c.Count}
		if l.A, err = idgraph.ParseIdentifier(c.A); err != nil {
			return nil, err
		}
		if l.B, err = idgraph.ParseIdentifier(c.B); err != nil {
			return nil, err
		}
		d.Cut = append(d.Cut, l)
	}
	for _, p := range s.Parts {
		part := idgraph.CorrectionPart{ProfileID: p.ProfileID, Kept: p.Kept, Identifiers: make([]idgraph.Identifier, len(p.Identifiers))}
		for i, s := range p.Identifiers {
			if part.Identifiers[i], err = idgraph.ParseIdentifier(s); err != nil {
				return nil, err
			}
		}
		d.Parts = append(d.Parts, part)
	}
	d.Never, d.DecisionID, d.Decision, d.RulesVersion = s.Never, s.DecisionID, s.Decision, s.RulesVersion
	for _, end := range []struct {
		text string
		dst  **idgraph.Identifier
	}{{s.A, &d.A}, {s.B, &d.B}} {
		if end.text == "" {
			continue
		}
		id, err := idgraph.ParseIdentifier(end.text)
		if err != nil {
			return nil, err
		}
		*end.dst = &id
	}
	return &d, nil
}
