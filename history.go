package idgraph

import (
	"slices"
	"time"
)

// History entry kinds.
const (
	HistoryCreated         = "created"
	HistoryIdentifierAdded = "identifier_added"
	HistoryMerged          = "merged"
	// Corrections (CorrectionService): a split, a never or always decision
	// made or removed, one identifier taken out.
	HistorySplit             = "split"
	HistoryLinked            = "linked"
	HistoryUnlinked          = "unlinked"
	HistoryIdentifierRemoved = "identifier_removed"
	// HistoryIdentifierLeft is an identifier leaving the profile, by a
	// correction.
	HistoryIdentifierLeft = "identifier_left"
	// HistoryRulesChanged is a new rules version promoted: the profile was
	// rebuilt from the replay of the space's events under it.
	HistoryRulesChanged = "rules_changed"
)

// HistoryEntry is one step of a profile's life: how it grew, and how people
// corrected it.
type HistoryEntry struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
	// ProfileID is the profile the step changed: the one asked about or a
	// profile merged into it (for merged, the one merged into).
	ProfileID  string      `json:"profile_id"`
	Identifier *Identifier `json:"identifier,omitempty"`
	// MergedProfileID is the profile merged in, for HistoryMerged.
	MergedProfileID string `json:"merged_profile_id,omitempty"`
	// MessageID and SourceID name the event that caused the step.
	MessageID string `json:"message_id,omitempty"`
	SourceID  string `json:"source_id,omitempty"`
	// CorrectionID, Actor and Reason name the correction that caused the
	// step instead: a correction's own entry, an identifier leaving, and a
	// part of a split being created and receiving its identifiers.
	CorrectionID string `json:"correction_id,omitempty"`
	Actor        string `json:"actor,omitempty"`
	Reason       string `json:"reason,omitempty"`
	// ToProfileID is where the identifier went, for HistoryIdentifierLeft.
	ToProfileID string `json:"to_profile_id,omitempty"`
	// Detail is a correction's evidence, on its own entry.
	Detail *CorrectionDetail `json:"detail,omitempty"`
}

// IsCorrection reports whether the entry is a correction's own entry
// (split, linked, unlinked or identifier_removed).
func (e HistoryEntry) IsCorrection() bool {
	switch e.Kind {
	case HistorySplit, HistoryLinked, HistoryUnlinked, HistoryIdentifierRemoved, HistoryRulesChanged:
		return true
	}
	return false
}

// CorrectionDetail is the evidence a correction keeps. A split or an
// identifier removal has Cut, Parts and Never; a linked or unlinked
// correction names its decision.
type CorrectionDetail struct {
	// Cut are the links cut (kept in the graph as CUT relationships).
	Cut []CutLink `json:"cut,omitempty"`
	// Parts are the profiles the split left: what left, and where to.
	Parts []CorrectionPart `json:"parts,omitempty"`
	// Never are the ids of the never decisions the split recorded.
	Never []string `json:"never,omitempty"`

	// RulesVersion is the rules version a rules_changed correction made
	// active.
	RulesVersion int `json:"rules_version,omitempty"`

	DecisionID string      `json:"decision_id,omitempty"`
	Decision   string      `json:"decision,omitempty"`
	A          *Identifier `json:"a,omitempty"`
	B          *Identifier `json:"b,omitempty"`
}

// CutLink is a link a correction cut, with the number of events that had
// seen its two identifiers together.
type CutLink struct {
	A     Identifier `json:"a"`
	B     Identifier `json:"b"`
	Count int        `json:"count"`
}

// CorrectionPart is one profile a split left: its id, its identifiers,
// and whether it kept the split profile's id.
type CorrectionPart struct {
	ProfileID   string       `json:"profile_id"`
	Identifiers []Identifier `json:"identifiers"`
	Kept        bool         `json:"kept"`
}

// Moved reports whether the correction moved id into the profile
// profileID: a part other than the kept one holds it.
func (d *CorrectionDetail) Moved(id Identifier, profileID string) bool {
	return d != nil && slices.ContainsFunc(d.Parts, func(p CorrectionPart) bool {
		return !p.Kept && p.ProfileID == profileID && slices.Contains(p.Identifiers, id)
	})
}

// Destination returns the profile a correction moved id into; "" when it
// moved it nowhere.
func (d *CorrectionDetail) Destination(id Identifier) string {
	if d == nil {
		return ""
	}
	for _, p := range d.Parts {
		if !p.Kept && slices.Contains(p.Identifiers, id) {
			return p.ProfileID
		}
	}
	return ""
}

// Created reports whether the correction created the profile profileID:
// one of the new parts it left.
func (d *CorrectionDetail) Created(profileID string) bool {
	return d != nil && slices.ContainsFunc(d.Parts, func(p CorrectionPart) bool {
		return !p.Kept && p.ProfileID == profileID
	})
}

// HistoryPosition is where an entry stands in a profile's history: its
// time, its kind and its key (the identifier added or gone, the profile
// merged in, or the correction). The Profile API's history cursor carries
// one.
type HistoryPosition struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
	Key  string    `json:"key"`
}

// Position returns where e stands in its profile's history.
func (e HistoryEntry) Position() HistoryPosition {
	key := e.CorrectionID
	switch {
	case e.Identifier != nil:
		key = e.Identifier.String()
	case e.MergedProfileID != "":
		key = e.MergedProfileID
	}
	return HistoryPosition{At: e.At, Kind: e.Kind, Key: key}
}

// historyRanks orders the kinds of entries made at the same time, cause
// before effect: a profile is created, is corrected (a split part starts
// with its split; a decision comes before the merge it makes), gains
// identifiers, takes in other profiles, and loses the identifiers a
// correction moved out.
var historyRanks = map[string]int{
	HistoryCreated:           0,
	HistorySplit:             1,
	HistoryIdentifierRemoved: 1,
	HistoryLinked:            1,
	HistoryUnlinked:          1,
	HistoryRulesChanged:      1,
	HistoryIdentifierAdded:   2,
	HistoryMerged:            3,
	HistoryIdentifierLeft:    4,
}

// Before orders history positions: by time, then kind (created; the
// corrections split, identifier_removed, linked and unlinked;
// identifier_added; merged; identifier_left), then key.
func (p HistoryPosition) Before(q HistoryPosition) bool {
	if !p.At.Equal(q.At) {
		return p.At.Before(q.At)
	}
	if historyRanks[p.Kind] != historyRanks[q.Kind] {
		return historyRanks[p.Kind] < historyRanks[q.Kind]
	}
	if p.Kind != q.Kind {
		return p.Kind < q.Kind
	}
	return p.Key < q.Key
}

// SortHistory puts entries in history order (HistoryPosition.Before),
// keeping the order of entries at the same position.
func SortHistory(entries []HistoryEntry) {
	slices.SortStableFunc(entries, func(a, b HistoryEntry) int {
		pa, pb := a.Position(), b.Position()
		switch {
		case pa.Before(pb):
			return -1
		case pb.Before(pa):
			return 1
		}
		return 0
	})
}

// CompactHistory puts entries in history order (SortHistory) and drops an
// entry at the same position as the one before it (one identifier added at
// one time, told by two records of its membership), so that a position
// names one entry, as the history cursor needs. It returns the entries
// kept.
func CompactHistory(entries []HistoryEntry) []HistoryEntry {
	SortHistory(entries)
	return slices.CompactFunc(entries, func(a, b HistoryEntry) bool {
		pa, pb := a.Position(), b.Position()
		return pa.At.Equal(pb.At) && pa.Kind == pb.Kind && pa.Key == pb.Key
	})
}
