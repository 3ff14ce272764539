package idgraph

import "time"

// A profile graph holds at most MaxGraphNodes nodes, DefaultGraphNodes
// unless the caller asks for another number.
const (
	DefaultGraphNodes = 100
	MaxGraphNodes     = 1000
)

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
