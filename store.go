package idgraph

import (
	"context"
	"time"
)

// Store keeps the identity graph. graph/ implements it on Neo4j.
//
// Every method returns EUNAVAILABLE when the database cannot be reached and
// EINTERNAL for anything unexpected; other codes are listed per method.
type Store interface {
	// Resolve applies a batch of events from one source, in order, to the
	// space's identity graph: identifiers, evidence edges, events, profiles,
	// merges and rejections, all committed together. Events already stored
	// for the source (same message id) are counted as duplicates and change
	// nothing.
	Resolve(ctx context.Context, space Space, source Source, events []Event) (BatchResult, error)

	// Profile returns the live profile holding id, with its identifiers and
	// traits. ENOTFOUND when no profile holds it.
	Profile(ctx context.Context, space string, id Identifier) (Profile, error)

	// Delete removes the profile holding id (identifiers, edges, events,
	// membership, merge history) and suppresses its identifier values so
	// later events cannot bring them back. ENOTFOUND when no profile holds id.
	Delete(ctx context.Context, space string, id Identifier) (Deletion, error)

	// Events returns the events of the profile holding id, newest first.
	// ENOTFOUND when no profile holds id.
	Events(ctx context.Context, space string, id Identifier, q EventQuery) ([]StoredEvent, error)

	// Metadata returns when the profile holding id was created and last
	// updated, its first and last events and its merge count. ENOTFOUND when
	// no profile holds id.
	Metadata(ctx context.Context, space string, id Identifier) (Metadata, error)

	// Explain says why from and to share a profile (the shortest chain of
	// evidence between them) or why they do not (the rejections between
	// their profiles). ENOTFOUND when no profile holds from or to.
	Explain(ctx context.Context, space string, from, to Identifier) (Explanation, error)

	// History returns how the profile holding id grew, oldest first.
	// ENOTFOUND when no profile holds id.
	History(ctx context.Context, space string, id Identifier) ([]HistoryEntry, error)

	// Graph returns the identifiers of the profile holding id and the edges
	// between them, at most limit nodes. ENOTFOUND when no profile holds id.
	Graph(ctx context.Context, space string, id Identifier, limit int) (ProfileGraph, error)

	// Check verifies the graph's invariants for a space under its rules.
	Check(ctx context.Context, space Space, progress func(Progress)) (CheckReport, error)

	// Rebuild recomputes every profile of a space from the edges.
	Rebuild(ctx context.Context, space Space, progress func(Progress)) (RebuildReport, error)
}

// BatchResult counts what one Resolve call did.
type BatchResult struct {
	Loaded     int `json:"loaded"`
	Duplicates int `json:"duplicates"`
	Rejections int `json:"rejections"`
	Merges     int `json:"merges"`
	Profiles   int `json:"profiles_created"`
}

// Add sums two results.
func (r BatchResult) Add(o BatchResult) BatchResult {
	return BatchResult{
		Loaded:     r.Loaded + o.Loaded,
		Duplicates: r.Duplicates + o.Duplicates,
		Rejections: r.Rejections + o.Rejections,
		Merges:     r.Merges + o.Merges,
		Profiles:   r.Profiles + o.Profiles,
	}
}

// Deletion says what a Delete removed.
type Deletion struct {
	ProfileID   string       `json:"profile_id"`
	Identifiers []Identifier `json:"identifiers"`
	Events      int          `json:"events"`
	Suppressed  int          `json:"suppressed"`
}

// Progress reports how far a long operation has come.
type Progress struct {
	Stage string
	Done  int
	Total int
}

// Violation is one broken invariant found by Check.
type Violation struct {
	Kind      string `json:"kind"`
	ProfileID string `json:"profile_id,omitempty"`
	Detail    string `json:"detail"`
}

// CheckReport is the outcome of Check; OK when Violations is empty.
type CheckReport struct {
	Profiles    int           `json:"profiles"`
	Identifiers int           `json:"identifiers"`
	Components  int           `json:"components"`
	Violations  []Violation   `json:"violations"`
	Took        time.Duration `json:"took"`
}

// OK reports whether no invariant is broken.
func (r CheckReport) OK() bool { return len(r.Violations) == 0 }

// RebuildReport is the outcome of Rebuild.
type RebuildReport struct {
	Components int           `json:"components"`
	Kept       int           `json:"profiles_kept"`
	Created    int           `json:"profiles_created"`
	Removed    int           `json:"profiles_removed"`
	Moved      int           `json:"identifiers_moved"`
	Took       time.Duration `json:"took"`
}
