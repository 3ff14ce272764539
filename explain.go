package idgraph

import "time"

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
