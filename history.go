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
)

// HistoryEntry is one step of a profile's growth.
type HistoryEntry struct {
	At         time.Time   `json:"at"`
	Kind       string      `json:"kind"`
	ProfileID  string      `json:"profile_id"`
	Identifier *Identifier `json:"identifier,omitempty"`
	// MergedProfileID is the profile merged in, for HistoryMerged.
	MergedProfileID string `json:"merged_profile_id,omitempty"`
	MessageID       string `json:"message_id,omitempty"`
	SourceID        string `json:"source_id,omitempty"`
}

// HistoryPosition is where an entry stands in a profile's history: its
// time, its kind and its key (the identifier added, or the profile merged
// in). The Profile API's history cursor carries one.
type HistoryPosition struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
	Key  string    `json:"key"`
}

// Position returns where e stands in its profile's history.
func (e HistoryEntry) Position() HistoryPosition {
	key := e.MergedProfileID
	if e.Identifier != nil {
		key = e.Identifier.String()
	}
	return HistoryPosition{At: e.At, Kind: e.Kind, Key: key}
}

// historyRanks orders the kinds of entries made at the same time: a profile
// is created, then gains identifiers, then takes in other profiles.
var historyRanks = map[string]int{
	HistoryCreated:         0,
	HistoryIdentifierAdded: 1,
	HistoryMerged:          2,
}

// Before orders history positions: by time, then kind (created,
// identifier_added, merged), then key.
func (p HistoryPosition) Before(q HistoryPosition) bool {
	if !p.At.Equal(q.At) {
		return p.At.Before(q.At)
	}
	if historyRanks[p.Kind] != historyRanks[q.Kind] {
		return historyRanks[p.Kind] < historyRanks[q.Kind]
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
