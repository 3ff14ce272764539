package idgraph

import (
	"slices"
	"strings"
)

// Choosing the links a split cuts, and checking the request against the
// profile it names.

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
