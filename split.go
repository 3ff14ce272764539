package idgraph

import (
	"slices"
	"sort"
	"time"
)

// SplitPlan is what a split does to one profile: the links it cuts and the
// parts the profile falls into. Parts[0] keeps the profile's id (it holds
// the profile's oldest identifier); the others get new ids.
type SplitPlan struct {
	ProfileID string         `json:"profile_id"`
	Cut       []Edge         `json:"cut"`
	Parts     []SplitPart    `json:"parts"`
	Never     []LinkDecision `json:"never"`
	// CorrectionID names the correction in history; empty for a preview.
	CorrectionID string    `json:"correction_id,omitempty"`
	At           time.Time `json:"at"`
	Actor        string    `json:"actor"`
	Reason       string    `json:"reason,omitempty"`
}

// WithEmptyLists returns p with its nil lists and maps made empty, as the
// JSON answers show them: [] and {}, never null.
func (p SplitPlan) WithEmptyLists() SplitPlan {
	if p.Never == nil {
		p.Never = []LinkDecision{}
	}
	p.Cut = slices.Clone(p.Cut)
	if p.Cut == nil {
		p.Cut = []Edge{}
	}
	for i := range p.Cut {
		if p.Cut[i].SourceIDs == nil {
			p.Cut[i].SourceIDs = []string{}
		}
	}
	p.Parts = slices.Clone(p.Parts)
	for i := range p.Parts {
		if p.Parts[i].Traits == nil {
			p.Parts[i].Traits = Traits{}
		}
	}
	return p
}

// SplitPart is one profile a split leaves.
type SplitPart struct {
	ProfileID   string     `json:"profile_id"`
	Identifiers []Sighting `json:"identifiers"`
	// Kept is true for the part that keeps the profile's id.
	Kept bool `json:"kept"`
	// Traits are rebuilt from the part's own events (TraitsOf).
	Traits Traits `json:"traits"`
}

// Holds reports whether the part holds id.
func (p SplitPart) Holds(id Identifier) bool {
	return slices.ContainsFunc(p.Identifiers, func(s Sighting) bool { return s.Identifier == id })
}

// SplitInput is what PlanSplit needs to know of a profile: the profile with
// its members, its live links, the decisions naming its members, and for an
// Event split the identifiers that event carried.
type SplitInput struct {
	Profile   Profile
	Edges     []Edge
	Decisions []LinkDecision
	Carried   []Identifier
}

// PlanSplit works out what s does to the profile in in: which links to cut
// and which parts remain, under rules (priorities pick the identifiers the
// never decisions name). newID makes ids for the new parts; actor and at
// are recorded on the decisions. Errors: ECONFLICT naming identifiers or
// links not in the profile; EINVALID when the split would move every
// identifier or none.
func PlanSplit(in SplitInput, s Split, rules Rules, actor string, at time.Time, newID func() string) (SplitPlan, error) {
	if err := s.Validate(); err != nil {
		return SplitPlan{}, err
	}
	cut, named, err := splitCut(in, s)
	if err != nil {
		return SplitPlan{}, err
	}
	members := make([]Identifier, len(in.Profile.Identifiers))
	for i, m := range in.Profile.Identifiers {
		members[i] = m.Identifier
	}
	groups := Components(members, withoutEdges(in.Edges, cut))
	if len(groups) < 2 {
		return SplitPlan{}, Errorf(EINVALID, "split: cutting %d %s leaves the profile whole: the split would move no identifier", len(cut), plural(len(cut), "link", "links"))
	}
	plan := SplitPlan{ProfileID: in.Profile.ID, Cut: cut, Parts: splitParts(in.Profile, groups, newID), At: at, Actor: actor, Reason: s.Reason}
	if err := keptTogether(plan.Parts, in.Decisions); err != nil {
		return SplitPlan{}, err
	}
	if !s.Forget {
		plan.Never = neverBetween(plan.Parts, named, rules, s.Reason, actor, at)
	}
	return plan, nil
}

// splitParts turns the groups into parts; the one with the profile's oldest
// identifier keeps its id and comes first.
func splitParts(p Profile, groups [][]Identifier, newID func() string) []SplitPart {
	sightings := make(map[Identifier]Sighting, len(p.Identifiers))
	for _, s := range p.Identifiers {
		sightings[s.Identifier] = s
	}
	parts := make([]SplitPart, len(groups))
	for i, g := range groups {
		for _, id := range g {
			parts[i].Identifiers = append(parts[i].Identifiers, sightings[id])
		}
	}
	sort.SliceStable(parts, func(i, j int) bool { return olderSighting(oldest(parts[i]), oldest(parts[j])) })
	for i := range parts {
		if i == 0 {
			parts[i].ProfileID, parts[i].Kept = p.ID, true
		} else {
			parts[i].ProfileID = newID()
		}
	}
	return parts
}

func oldest(p SplitPart) Sighting {
	o := p.Identifiers[0]
	for _, s := range p.Identifiers[1:] {
		if olderSighting(s, o) {
			o = s
		}
	}
	return o
}

func olderSighting(a, b Sighting) bool {
	if !a.FirstSeen.Equal(b.FirstSeen) {
		return a.FirstSeen.Before(b.FirstSeen)
	}
	return a.Less(b.Identifier)
}

// neverBetween returns a never decision between every two parts, each
// naming the part's anchor: an identifier the request named, else its
// highest-priority identifier.
func neverBetween(parts []SplitPart, named []Identifier, rules Rules, reason, actor string, at time.Time) []LinkDecision {
	anchors := make([]Identifier, len(parts))
	for i, p := range parts {
		anchors[i] = anchor(p, named, rules)
	}
	var out []LinkDecision
	for i := range anchors {
		for j := i + 1; j < len(anchors); j++ {
			d, err := NewLinkDecision(anchors[i], anchors[j], DecisionNever, reason, actor, at)
			if err == nil {
				out = append(out, d)
			}
		}
	}
	return out
}

func anchor(p SplitPart, named []Identifier, rules Rules) Identifier {
	for _, id := range named {
		if p.Holds(id) {
			return id
		}
	}
	best := p.Identifiers[0]
	for _, s := range p.Identifiers[1:] {
		if rules.Before(s.Identifier, best.Identifier) || (!rules.Before(best.Identifier, s.Identifier) && olderSighting(s, best)) {
			best = s
		}
	}
	return best.Identifier
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
