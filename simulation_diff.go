package idgraph

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Sample sizes of a simulation's difference.
const (
	DiffLargest = 10 // largest profiles, before and after
	DiffSample  = 20 // changed profiles, moved identifiers
	DiffMembers = 10 // identifiers listed per changed profile
)

// Member is an identifier of a live profile, with when it was first seen:
// the state before a simulation.
type Member struct {
	Identifier
	ProfileID string
	FirstSeen time.Time
}

// SimulationDiff is what candidate rules change, the live profiles against
// the replay's.
type SimulationDiff struct {
	Events         int `json:"events"`
	ProfilesBefore int `json:"profiles_before"`
	ProfilesAfter  int `json:"profiles_after"`
	// MergesGained counts live profiles the candidate rules join to another
	// (an after profile drawn from n live profiles gains n-1); MergesLost
	// counts the pieces live profiles break into (a live profile spread
	// over n after profiles loses n-1).
	MergesGained     int               `json:"merges_gained"`
	MergesLost       int               `json:"merges_lost"`
	IdentifiersMoved int               `json:"identifiers_moved"`
	Moved            []MovedIdentifier `json:"moved"`
	LargestBefore    []ProfileSize     `json:"largest_before"`
	LargestAfter     []ProfileSize     `json:"largest_after"`
	RefusalsBefore   map[string]int    `json:"refusals_before"`
	RefusalsAfter    map[string]int    `json:"refusals_after"`
	Changed          []ProfileChange   `json:"changed"`
}

// MovedIdentifier is an identifier that changes profile: From is its live
// profile, To the profile it would be in (a live id it keeps, or a new
// one's).
type MovedIdentifier struct {
	Identifier Identifier `json:"identifier"`
	From       string     `json:"from"`
	To         string     `json:"to"`
}

// ProfileSize is a profile and how many identifiers it holds, with the
// first few.
type ProfileSize struct {
	ProfileID   string       `json:"profile_id"`
	Identifiers int          `json:"identifiers"`
	Sample      []Identifier `json:"sample"`
}

// ProfileChange is one profile the candidate rules change: the live
// profiles it is drawn from, the identifiers that join it and leave it,
// and why, in words.
type ProfileChange struct {
	ProfileID   string       `json:"profile_id"`
	Kept        bool         `json:"kept"`
	Before      []string     `json:"before"`
	Identifiers int          `json:"identifiers"`
	Joined      []Identifier `json:"joined"`
	Left        []Identifier `json:"left"`
	Why         []string     `json:"why"`
}

// KeptIDs says which live profile id each of the replay's profiles keeps:
// a live profile keeps its id in the replay's profile that holds its
// oldest identifier (first seen first; ties by type and value; one the
// candidate rules block is no identifier any more); when one
// replay profile holds the oldest identifiers of several, the profile whose
// oldest identifier is oldest keeps its id (ties: the smallest id). The
// answer maps replay profile ids to live ids.
func (p *Replay) KeptIDs(before []Member) map[string]string {
	oldest := map[string]Member{}
	for _, m := range before {
		if p.r.owner[m.Identifier] == "" {
			continue // no longer an identifier: blocked by the candidate rules
		}
		o, ok := oldest[m.ProfileID]
		if !ok || m.FirstSeen.Before(o.FirstSeen) || (m.FirstSeen.Equal(o.FirstSeen) && m.Less(o.Identifier)) {
			oldest[m.ProfileID] = m
		}
	}
	best := map[string]Member{}
	for _, o := range oldest {
		q := p.r.owner[o.Identifier]
		if q == "" {
			continue
		}
		b, ok := best[q]
		if !ok || o.FirstSeen.Before(b.FirstSeen) || (o.FirstSeen.Equal(b.FirstSeen) && o.ProfileID < b.ProfileID) {
			best[q] = o
		}
	}
	kept := make(map[string]string, len(best))
	for q, o := range best {
		kept[q] = o.ProfileID
	}
	return kept
}

// Diff compares the live profiles (before, with refusalsBefore, the live
// REJECTED links by rule) with the replay's.
func (p *Replay) Diff(before []Member, refusalsBefore map[string]int) SimulationDiff {
	kept := p.KeptIDs(before)
	name := func(q string) string {
		if id := kept[q]; id != "" {
			return id
		}
		return q
	}
	d := SimulationDiff{
		Events: p.events, RefusalsBefore: maps.Clone(refusalsBefore), RefusalsAfter: p.Refusals(),
		Moved: []MovedIdentifier{}, Changed: []ProfileChange{},
	}
	if d.RefusalsBefore == nil {
		d.RefusalsBefore = map[string]int{}
	}
	was := make(map[Identifier]string, len(before))
	beforeMembers := map[string][]Identifier{}
	for _, m := range before {
		was[m.Identifier] = m.ProfileID
		beforeMembers[m.ProfileID] = append(beforeMembers[m.ProfileID], m.Identifier)
	}
	afterMembers := map[string][]Identifier{}
	for id, q := range p.r.owner {
		afterMembers[q] = append(afterMembers[q], id)
	}
	d.ProfilesBefore, d.ProfilesAfter = len(beforeMembers), len(afterMembers)

	// Gained: live profiles an after profile draws from; lost: the after
	// profiles a live profile spreads over (a dropped identifier counts).
	changed := map[string]bool{}
	for q, ids := range afterMembers {
		from := map[string]bool{}
		for _, id := range ids {
			from[was[id]] = true
		}
		if n := len(from); n > 1 {
			d.MergesGained += n - 1
			changed[q] = true
		}
		if from[""] || kept[q] == "" {
			changed[q] = true
		}
	}
	for _, ids := range beforeMembers {
		to := map[string]bool{}
		for _, id := range ids {
			to[p.r.owner[id]] = true
		}
		if n := len(to); n > 1 {
			d.MergesLost += n - 1
			for q := range to {
				if q != "" {
					changed[q] = true
				}
			}
		}
	}
	var moved []MovedIdentifier
	for id, q := range p.r.owner {
		if from := was[id]; from != "" && name(q) != from {
			moved = append(moved, MovedIdentifier{Identifier: id, From: from, To: name(q)})
		}
	}
	for id, from := range was {
		if p.r.owner[id] == "" {
			moved = append(moved, MovedIdentifier{Identifier: id, From: from})
		}
	}
	d.IdentifiersMoved = len(moved)
	slices.SortFunc(moved, func(a, b MovedIdentifier) int { return compareIdentifiers(a.Identifier, b.Identifier) })
	d.Moved = append(d.Moved, moved[:min(len(moved), DiffSample)]...)
	d.LargestBefore = largest(beforeMembers, func(s string) string { return s })
	d.LargestAfter = largest(afterMembers, name)
	d.Changed = p.changes(changed, afterMembers, beforeMembers, was, kept, name)
	return d
}

// largest returns the DiffLargest biggest profiles of members, named by
// name, biggest first (ties: by name).
func largest(members map[string][]Identifier, name func(string) string) []ProfileSize {
	out := make([]ProfileSize, 0, len(members))
	for q, ids := range members {
		out = append(out, ProfileSize{ProfileID: name(q), Identifiers: len(ids)})
	}
	slices.SortFunc(out, func(a, b ProfileSize) int {
		if c := cmp.Compare(b.Identifiers, a.Identifiers); c != 0 {
			return c
		}
		return cmp.Compare(a.ProfileID, b.ProfileID)
	})
	out = out[:min(len(out), DiffLargest)]
	byName := map[string]string{}
	for q := range members {
		byName[name(q)] = q
	}
	for i := range out {
		ids := slices.Clone(members[byName[out[i].ProfileID]])
		slices.SortFunc(ids, compareIdentifiers)
		out[i].Sample = ids[:min(len(ids), DiffMembers)]
	}
	return out
}

// changes describes a sample of the changed after profiles, largest first.
func (p *Replay) changes(changed map[string]bool, after, before map[string][]Identifier, was map[Identifier]string, kept map[string]string, name func(string) string) []ProfileChange {
	qs := slices.Collect(maps.Keys(changed))
	slices.SortFunc(qs, func(a, b string) int {
		if c := cmp.Compare(len(after[b]), len(after[a])); c != 0 {
			return c
		}
		return cmp.Compare(name(a), name(b))
	})
	refused := map[Identifier][]Rejection{}
	for _, rej := range p.r.rejections {
		refused[rej.From] = append(refused[rej.From], rej)
	}
	out := []ProfileChange{}
	for _, q := range qs[:min(len(qs), DiffSample)] {
		ids := slices.Clone(after[q])
		slices.SortFunc(ids, compareIdentifiers)
		c := ProfileChange{ProfileID: name(q), Kept: kept[q] != "", Identifiers: len(ids), Before: []string{}, Joined: []Identifier{}, Left: []Identifier{}, Why: []string{}}
		from := map[string]bool{}
		for _, id := range ids {
			if w := was[id]; w != "" && !from[w] {
				from[w] = true
				c.Before = append(c.Before, w)
			}
			if was[id] != c.ProfileID && len(c.Joined) < DiffMembers {
				c.Joined = append(c.Joined, id)
			}
		}
		slices.Sort(c.Before)
		if c.Kept {
			left := slices.Clone(before[c.ProfileID])
			slices.SortFunc(left, compareIdentifiers)
			for _, id := range left {
				if p.r.owner[id] != q && len(c.Left) < DiffMembers {
					c.Left = append(c.Left, id)
				}
			}
		}
		c.Why = p.why(q, c, refused)
		out = append(out, c)
	}
	return out
}

// why says in words what made a changed profile: the links that now join
// identifiers from different live profiles, and the rules that now keep
// identifiers out.
func (p *Replay) why(q string, c ProfileChange, refused map[Identifier][]Rejection) []string {
	var why []string
	joined := map[Identifier]bool{}
	for _, id := range c.Joined {
		joined[id] = true
	}
	for _, id := range c.Joined {
		for _, e := range p.adjacency()[id] {
			other := e.A
			if other == id {
				other = e.B
			}
			if !joined[other] && p.r.owner[other] == q {
				why = append(why, fmt.Sprintf("%s joins through its link to %s (seen together in %d events, first %s), accepted under the candidate rules", id, other, e.Count, e.FirstMessageID))
				break
			}
		}
		if len(why) >= DiffMembers/2 {
			break
		}
	}
	for _, id := range c.Left {
		switch {
		case p.r.owner[id] == "":
			why = append(why, fmt.Sprintf("%s is no identifier under the candidate rules (blocked), so it leaves", id))
		case len(refused[id]) > 0:
			rej := refused[id][0]
			why = append(why, fmt.Sprintf("%s is kept out by %s: %s (event %s)", id, rej.Rule, rej.Detail, rej.MessageID))
		default:
			why = append(why, fmt.Sprintf("%s leaves: no link the candidate rules accept joins it to the rest", id))
		}
		if len(why) >= DiffMembers {
			break
		}
	}
	if !c.Kept && len(c.Before) == 1 {
		why = append(why, fmt.Sprintf("split off from %s: the links that joined these identifiers to it are not accepted under the candidate rules", c.Before[0]))
		for _, id := range c.Joined {
			if rs := refused[id]; len(rs) > 0 {
				why = append(why, fmt.Sprintf("%s is kept out by %s: %s (event %s)", id, rs[0].Rule, rs[0].Detail, rs[0].MessageID))
				break
			}
		}
	}
	if len(why) == 0 && len(c.Before) > 1 {
		why = append(why, fmt.Sprintf("the candidate rules join %d live profiles", len(c.Before)))
	}
	if len(why) == 0 {
		why = append(why, "identifiers leave it: the candidate rules refuse the links that held them")
	}
	return why
}
