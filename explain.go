package idgraph

import "time"

// EventQuery selects a profile's events: newest first, between Start and End
// (zero means unbounded), at most Limit, starting after the cursor Before
// (the last event of the previous page) when set.
type EventQuery struct {
	Start, End time.Time
	Limit      int
	Before     *EventCursor
}

// EventCursor is a position in a profile's timeline.
type EventCursor struct {
	Timestamp time.Time
	MessageID string
}

// StoredEvent is an event as the graph keeps it.
type StoredEvent struct {
	MessageID   string         `json:"message_id"`
	Type        string         `json:"type"`
	Event       string         `json:"event,omitempty"`
	Name        string         `json:"name,omitempty"`
	SourceID    string         `json:"source_id"`
	Timestamp   time.Time      `json:"timestamp"`
	ReceivedAt  time.Time      `json:"received_at,omitzero"`
	UserID      string         `json:"user_id,omitempty"`
	AnonymousID string         `json:"anonymous_id,omitempty"`
	Properties  map[string]any `json:"properties,omitempty"`
	Traits      map[string]any `json:"traits,omitempty"`
	Context     map[string]any `json:"context,omitempty"`
	Identifiers []string       `json:"identifiers,omitempty"`
}

// EventRef names an event as evidence.
type EventRef struct {
	MessageID string    `json:"message_id"`
	Type      string    `json:"type"`
	Event     string    `json:"event,omitempty"`
	SourceID  string    `json:"source_id"`
	Timestamp time.Time `json:"timestamp"`
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

// Hop is one edge of an explanation's chain, with its evidence.
type Hop struct {
	From       Identifier `json:"from"`
	To         Identifier `json:"to"`
	Count      int        `json:"count"`
	SourceIDs  []string   `json:"source_ids"`
	FirstEvent EventRef   `json:"first_event"`
	LastEvent  EventRef   `json:"last_event"`
}

// RejectionRef is a REJECTED link: the rule that kept two identifiers apart
// and the event it fired on.
type RejectionRef struct {
	From   Identifier `json:"from"`
	To     Identifier `json:"to"`
	Rule   string     `json:"rule"`
	Detail string     `json:"detail"`
	At     time.Time  `json:"at"`
	Count  int        `json:"count"`
	Event  EventRef   `json:"event"`
}

// MaxExplainHops bounds the chain of evidence an explanation looks for: a
// shortest path of at most this many OBSERVED_WITH links. Cypher cannot take
// a path length as a parameter, so cypher/find_path.cypher writes it out;
// graph/'s tests check that the two agree.
const MaxExplainHops = 1000

// Explanation says why two identifiers share a profile or why they do not.
type Explanation struct {
	From        Identifier `json:"from"`
	To          Identifier `json:"to"`
	Together    bool       `json:"together"`
	FromProfile string     `json:"from_profile"`
	ToProfile   string     `json:"to_profile"`
	// Path is the shortest chain of evidence when Together; empty when no
	// chain of at most MaxExplainHops links joins them.
	Path []Hop `json:"path,omitempty"`
	// Rejections are the REJECTED links between the two profiles when not
	// Together; none means the two were never seen together.
	Rejections []RejectionRef `json:"rejections,omitempty"`
}
