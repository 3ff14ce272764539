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

// Explanation says why two identifiers share a profile or why they do not.
type Explanation struct {
	From        Identifier `json:"from"`
	To          Identifier `json:"to"`
	Together    bool       `json:"together"`
	FromProfile string     `json:"from_profile"`
	ToProfile   string     `json:"to_profile"`
	// Path is the shortest chain of evidence when Together.
	Path []Hop `json:"path,omitempty"`
	// Rejections are the REJECTED links between the two profiles when not
	// Together; none means the two were never seen together.
	Rejections []RejectionRef `json:"rejections,omitempty"`
}

// GraphNode is an identifier in a profile graph.
type GraphNode struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Value     string    `json:"value"`
	FirstSeen time.Time `json:"first_seen"`
	SourceID  string    `json:"source_id"`
}

// GraphLink is an OBSERVED_WITH edge between two nodes of a profile graph.
type GraphLink struct {
	Source    string    `json:"source"`
	Target    string    `json:"target"`
	Count     int       `json:"count"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// ProfileGraph is a profile's identifiers and edges, ready to draw.
type ProfileGraph struct {
	ProfileID string      `json:"profile_id"`
	Nodes     []GraphNode `json:"nodes"`
	Links     []GraphLink `json:"links"`
	Truncated bool        `json:"truncated"`
}
