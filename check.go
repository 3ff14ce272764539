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

// RebuildActor and RebuildReason are the evidence of the changes a rebuild
// records in the space's feed.
const (
	RebuildActor  = "idgraph"
	RebuildReason = "rebuild: profiles recomputed from the observed-together links"
)

// RebuildChanges is what the space's change feed records of a rebuild, in
// the words a promotion uses (PromotionPlan.Changes): a profile.created for
// each profile it made (created), an identifier.added for each identifier
// that changed profile (moved), and a profile.merged for each profile it
// retired into another (retired), each with the rebuild as evidence.
func RebuildChanges(created []string, moved []Membership, retired []Merge) []Change {
	ev := Evidence{Actor: RebuildActor, Reason: RebuildReason}
	var out []Change
	for _, id := range created {
		out = append(out, Change{Kind: ChangeProfileCreated, ProfileID: id, Evidence: ev})
	}
	for _, m := range moved {
		id := m.Identifier
		out = append(out, Change{Kind: ChangeIdentifierAdded, ProfileID: m.ProfileID, Identifier: &id, Evidence: ev})
	}
	for _, m := range retired {
		out = append(out, Change{Kind: ChangeProfileMerged, ProfileID: m.Into, From: m.From, Into: m.Into, Evidence: ev})
	}
	return out
}
