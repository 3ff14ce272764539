package idgraph

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Profile is one customer: a connected component of the identity graph.
type Profile struct {
	ID          string     `json:"id"`
	Space       string     `json:"space"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	MergeCount  int        `json:"merge_count"`
	Identifiers []Sighting `json:"identifiers"`
	Traits      Traits     `json:"traits"`
	// MergedInto names the profile this one was merged into; empty for a
	// live profile.
	MergedInto string    `json:"merged_into,omitempty"`
	MergedAt   time.Time `json:"merged_at,omitzero"`
}

// NewProfileID returns a new random profile id ("prf_" and 32 hex digits).
func NewProfileID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "prf_" + hex.EncodeToString(b[:])
}

// Trait is one profile trait with where and when its value came from.
type Trait struct {
	Value     any       `json:"value"`
	SourceID  string    `json:"source_id"`
	MessageID string    `json:"message_id"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Traits are a profile's traits by key.
type Traits map[string]Trait

// Set records v for key unless the trait already holds a newer value: the
// newest value per key wins, whatever order events arrive in.
func (ts Traits) Set(key string, t Trait) {
	if old, ok := ts[key]; ok && old.UpdatedAt.After(t.UpdatedAt) {
		return
	}
	ts[key] = t
}

// Merge folds other into ts, newest value per key winning.
func (ts Traits) Merge(other Traits) {
	for k, t := range other {
		ts.Set(k, t)
	}
}

// Deletion says what a Delete removed.
type Deletion struct {
	ProfileID   string       `json:"profile_id"`
	Identifiers []Identifier `json:"identifiers"`
	Events      int          `json:"events"`
	Suppressed  int          `json:"suppressed"`
}

// Metadata is what a profile's metadata route shows.
type Metadata struct {
	ProfileID   string    `json:"profile_id"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	MergeCount  int       `json:"merge_count"`
	Identifiers int       `json:"identifiers"`
	FirstEvent  *EventRef `json:"first_event,omitempty"`
	LastEvent   *EventRef `json:"last_event,omitempty"`
}

// TraitsOf rebuilds traits from events, as the resolver sets them: every
// identify event's traits, the newest value per key winning.
func TraitsOf(events []StoredEvent) Traits {
	ts := Traits{}
	for _, e := range events {
		if e.Type != EventIdentify {
			continue
		}
		for k, v := range e.Traits {
			ts.Set(k, Trait{Value: v, SourceID: e.SourceID, MessageID: e.MessageID, UpdatedAt: e.Timestamp})
		}
	}
	return ts
}

// TypeProfileID is the pseudo identifier type that names a profile by its
// own id in the Profile API's paths: profile_id:prf_....
const TypeProfileID = "profile_id"

// ProfileLocation is where a profile id leads: the live profile (itself, or
// the one it was merged into) and one member to look it up by.
type ProfileLocation struct {
	ProfileID string
	Merged    bool
	Member    Identifier
}
