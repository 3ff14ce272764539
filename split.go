package idgraph

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Split is a request to divide a profile. Exactly one of Identifiers, Cut,
// Apart and Event says what to cut:
//   - Identifiers leave the profile together: every link between them and
//     the rest is cut;
//   - Cut names the links to cut;
//   - Apart names two identifiers: the links of least evidence whose removal
//     separates them are cut (MinCut);
//   - Event undoes what one event joined: the links it created are cut.
//
// Cut links are kept as evidence, never deleted. Unless Forget, the parts
// are kept apart afterwards by never decisions.
type Split struct {
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Cut         []LinkRef    `json:"cut,omitempty"`
	Apart       []Identifier `json:"apart,omitempty"`
	Event       *EventKey    `json:"event,omitempty"`
	// Forget, when true, records no never decision between the parts.
	Forget bool   `json:"-"`
	Reason string `json:"reason,omitempty"`
}

// LinkRef names the link between two identifiers.
type LinkRef struct {
	From Identifier `json:"from"`
	To   Identifier `json:"to"`
}

// EventKey names a stored event: message ids are unique per source.
type EventKey struct {
	SourceID  string `json:"source_id"`
	MessageID string `json:"message_id"`
}

// Validate reports every problem of the request, naming its field.
// Errors: EINVALID.
func (s Split) Validate() error {
	var ps Problems
	modes := 0
	for _, set := range []bool{len(s.Identifiers) > 0, len(s.Cut) > 0, len(s.Apart) > 0, s.Event != nil} {
		if set {
			modes++
		}
	}
	if modes != 1 {
		ps.Add("split", "give exactly one of identifiers, cut, apart and event (got %d)", modes)
	}
	if len(s.Apart) > 0 && len(s.Apart) != 2 {
		ps.Add("apart", "want two identifiers, got %d", len(s.Apart))
	}
	if len(s.Apart) == 2 && s.Apart[0] == s.Apart[1] {
		ps.Add("apart[1]", "%s is the same identifier as apart[0]", s.Apart[1])
	}
	for i, l := range s.Cut {
		if l.From == l.To {
			ps.Add(fmt.Sprintf("cut[%d]", i), "a link joins two identifiers, not %s with itself", l.From)
		}
	}
	if s.Event != nil {
		if s.Event.SourceID == "" {
			ps.Add("event.source_id", "missing")
		}
		if s.Event.MessageID == "" {
			ps.Add("event.message_id", "missing")
		}
	}
	if len(s.Reason) > MaxReasonBytes {
		ps.Add("reason", "%d bytes: at most %d", len(s.Reason), MaxReasonBytes)
	}
	return ps.Err()
}

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

// splitCut returns the links s cuts and the identifiers it names (which the
// never decisions prefer).
func splitCut(in SplitInput, s Split) ([]Edge, []Identifier, error) {
	if err := notInProfile(in.Profile, append(append(slices.Clone(s.Identifiers), s.Apart...), linkEnds(s.Cut)...)); err != nil {
		return nil, nil, err
	}
	switch {
	case len(s.Identifiers) > 0:
		if len(s.Identifiers) >= len(in.Profile.Identifiers) {
			return nil, nil, Problems{{Field: "identifiers", Message: "names every identifier of the profile: the split would move them all"}}.Err()
		}
		leaving := map[Identifier]bool{}
		for _, id := range s.Identifiers {
			leaving[id] = true
		}
		var cut []Edge
		for _, e := range in.Edges {
			if leaving[e.A] != leaving[e.B] {
				cut = append(cut, e)
			}
		}
		return cut, s.Identifiers, nil
	case len(s.Cut) > 0:
		cut, err := namedLinks(in.Edges, s.Cut)
		return cut, linkEnds(s.Cut), err
	case len(s.Apart) == 2:
		cut, err := MinCut(in.Edges, s.Apart[0], s.Apart[1])
		if ErrorCode(err) == ENOTFOUND {
			err = Errorf(EINVALID, "split: %s and %s are not linked", s.Apart[0], s.Apart[1])
		}
		return cut, s.Apart, err
	default:
		return eventLinks(in, *s.Event), nil, nil
	}
}

// keptTogether returns ECONFLICT when the parts separate the two
// identifiers of an always decision.
func keptTogether(parts []SplitPart, decisions []LinkDecision) error {
	for _, d := range decisions {
		if d.Decision != DecisionAlways {
			continue
		}
		for _, p := range parts {
			if p.Holds(d.A) != p.Holds(d.B) {
				return Errorf(ECONFLICT, "split: it would separate %s and %s, which the always decision %s by %s keeps together (remove it first)", d.A, d.B, d.ID, d.Actor)
			}
		}
	}
	return nil
}

// notInProfile returns ECONFLICT naming the identifiers p does not hold.
func notInProfile(p Profile, ids []Identifier) error {
	var missing []string
	for _, id := range ids {
		if !slices.ContainsFunc(p.Identifiers, func(s Sighting) bool { return s.Identifier == id }) && !slices.Contains(missing, id.String()) {
			missing = append(missing, id.String())
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return Errorf(ECONFLICT, "not in profile %s: %s", p.ID, strings.Join(missing, ", "))
}

func linkEnds(links []LinkRef) []Identifier {
	var out []Identifier
	for _, l := range links {
		out = append(out, l.From, l.To)
	}
	return out
}

// namedLinks finds the edges the links name; ECONFLICT naming those that
// are not links of the profile.
func namedLinks(edges []Edge, links []LinkRef) ([]Edge, error) {
	var cut []Edge
	var missing []string
	for _, l := range links {
		a, b := l.From, l.To
		if b.Less(a) {
			a, b = b, a
		}
		i := slices.IndexFunc(edges, func(e Edge) bool { return e.A == a && e.B == b })
		if i < 0 {
			missing = append(missing, l.From.String()+" - "+l.To.String())
			continue
		}
		cut = append(cut, edges[i])
	}
	if len(missing) > 0 {
		return nil, Errorf(ECONFLICT, "no such link in the profile: %s", strings.Join(missing, "; "))
	}
	sortEdges(cut)
	return slices.CompactFunc(cut, func(x, y Edge) bool { return x.A == y.A && x.B == y.B }), nil
}

// eventLinks returns the links the event created: between two identifiers
// it carried, first seen in it.
func eventLinks(in SplitInput, ev EventKey) []Edge {
	var cut []Edge
	for _, e := range in.Edges {
		if e.FirstMessageID == ev.MessageID && slices.Contains(e.SourceIDs, ev.SourceID) &&
			slices.Contains(in.Carried, e.A) && slices.Contains(in.Carried, e.B) {
			cut = append(cut, e)
		}
	}
	return cut
}

func withoutEdges(edges, cut []Edge) []Edge {
	return slices.DeleteFunc(slices.Clone(edges), func(e Edge) bool {
		return slices.ContainsFunc(cut, func(c Edge) bool { return c.A == e.A && c.B == e.B })
	})
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
