package idgraph

import (
	"encoding/json"
	"time"
)

// EventQuery selects a profile's events: newest first (oldest first with
// Oldest), between Start and End (zero means unbounded), at most Limit,
// only the events named in Include (track's event, page's or screen's
// name) when it names any, none named in Exclude, starting after the cursor
// After (the last event of the previous page, in this query's order).
type EventQuery struct {
	Start, End time.Time
	Limit      int
	Include    []string
	Exclude    []string
	Oldest     bool
	After      *EventCursor
}

// EventCursor is a position in a profile's timeline.
type EventCursor struct {
	Timestamp time.Time
	MessageID string
}

// StoredEvent is an event as the graph keeps it. Properties and Context
// are the JSON objects as stored, passed through to a page of events
// without being decoded; Traits are decoded, for the traits they set.
type StoredEvent struct {
	MessageID   string          `json:"message_id"`
	Type        string          `json:"type"`
	Event       string          `json:"event,omitempty"`
	Name        string          `json:"name,omitempty"`
	SourceID    string          `json:"source_id"`
	Timestamp   time.Time       `json:"timestamp"`
	ReceivedAt  time.Time       `json:"received_at,omitzero"`
	UserID      string          `json:"user_id,omitempty"`
	AnonymousID string          `json:"anonymous_id,omitempty"`
	Properties  json.RawMessage `json:"properties,omitempty"`
	Traits      map[string]any  `json:"traits,omitempty"`
	Context     json.RawMessage `json:"context,omitempty"`
	Identifiers []string        `json:"identifiers,omitempty"`
}

// EventRef names an event as evidence.
type EventRef struct {
	MessageID string    `json:"message_id"`
	Type      string    `json:"type"`
	Event     string    `json:"event,omitempty"`
	SourceID  string    `json:"source_id"`
	Timestamp time.Time `json:"timestamp"`
}
