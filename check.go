package idgraph

import "time"

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
	Components int `json:"components"`
	Kept       int `json:"profiles_kept"`
	Created    int `json:"profiles_created"`
	Removed    int `json:"profiles_removed"`
	Moved      int `json:"identifiers_moved"`
	// Cut counts the links cut to keep never decisions (see graph/).
	Cut  int           `json:"links_cut"`
	Took time.Duration `json:"took"`
}
