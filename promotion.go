package idgraph

import (
	"slices"
	"time"
)

// PromotionPlan is what promoting a replay writes over the live profiles:
// every live profile of the replay under the id it keeps (KeptIDs) or a
// new one, where each identifier goes, the live profiles retired (merged
// into the profile that took their oldest identifier), and the profiles
// changed, for history.
type PromotionPlan struct {
	Profiles    []Profile    // the replay's live profiles, with their final ids
	Memberships []Membership // identifiers whose profile changes
	Retired     []Merge      // live profiles that keep no id
	Orphans     []Member     // live identifiers the replay has not (now blocked): each a profile of its own
	New         []Sighting   // identifiers the graph has no node for (blocked before)
	Changed     []string     // every profile id created, changed or retired, sorted
	Kept        int
	Created     int
	live        map[string]bool // the live profile ids before
}

// Plan turns the replay into a PromotionPlan over the live profiles
// before; at is when the promotion happens, newID names the profiles of
// orphans (nil: NewProfileID).
func (p *Replay) Plan(before []Member, at time.Time, newID func() string) PromotionPlan {
	if newID == nil {
		newID = NewProfileID
	}
	kept := p.KeptIDs(before)
	final := func(q string) string {
		if id := kept[q]; id != "" {
			return id
		}
		return q
	}
	plan := PromotionPlan{live: map[string]bool{}}
	was := make(map[Identifier]string, len(before))
	liveSize := map[string]int{}
	for _, m := range before {
		was[m.Identifier] = m.ProfileID
		liveSize[m.ProfileID]++
		plan.live[m.ProfileID] = true
	}
	changed := map[string]bool{}
	for _, prof := range p.Profiles() {
		q := prof.ID
		prof.ID = final(q)
		if kept[q] != "" {
			plan.Kept++
		} else {
			plan.Created++
			changed[prof.ID] = true
		}
		for _, s := range prof.Identifiers {
			if _, ok := was[s.Identifier]; !ok {
				plan.New = append(plan.New, s)
			}
			if was[s.Identifier] != prof.ID {
				plan.Memberships = append(plan.Memberships, Membership{Identifier: s.Identifier, ProfileID: prof.ID})
				changed[prof.ID] = true
				if w := was[s.Identifier]; w != "" {
					changed[w] = true
				}
			}
		}
		if len(prof.Identifiers) != liveSize[prof.ID] {
			changed[prof.ID] = true
		}
		plan.Profiles = append(plan.Profiles, prof)
	}
	keptIDs := map[string]bool{}
	for _, id := range kept {
		keptIDs[id] = true
	}
	oldest := map[string]Member{}
	for _, m := range before {
		if p.r.owner[m.Identifier] == "" {
			plan.Orphans = append(plan.Orphans, m)
			changed[m.ProfileID] = true
			continue
		}
		o, ok := oldest[m.ProfileID]
		if !ok || m.FirstSeen.Before(o.FirstSeen) || (m.FirstSeen.Equal(o.FirstSeen) && m.Less(o.Identifier)) {
			oldest[m.ProfileID] = m
		}
	}
	for pid, o := range oldest {
		if !keptIDs[pid] {
			plan.Retired = append(plan.Retired, Merge{From: pid, Into: final(p.r.owner[o.Identifier]), At: at})
			changed[pid] = true
		}
	}
	slices.SortFunc(plan.Retired, func(a, b Merge) int { return compareMerge(a, b) })
	slices.SortFunc(plan.Orphans, func(a, b Member) int { return compareIdentifiers(a.Identifier, b.Identifier) })
	reused := map[string]bool{}
	for i, o := range plan.Orphans {
		// A live profile none of whose identifiers the replay has keeps its
		// id in its first orphan.
		if _, has := oldest[o.ProfileID]; !has && !keptIDs[o.ProfileID] && !reused[o.ProfileID] {
			reused[o.ProfileID] = true
			continue
		}
		plan.Orphans[i].ProfileID = newID()
		changed[plan.Orphans[i].ProfileID] = true
	}
	for id := range changed {
		plan.Changed = append(plan.Changed, id)
	}
	slices.Sort(plan.Changed)
	return plan
}

func compareMerge(a, b Merge) int {
	switch {
	case a.From < b.From:
		return -1
	case a.From > b.From:
		return 1
	}
	return 0
}

// Changes is what the space's change feed records of the promotion, with
// ev (the rules change) as evidence: a profile.created for every profile
// it makes, an identifier.added for every identifier that changes profile,
// and a profile.merged for every profile retired into another.
func (plan PromotionPlan) Changes(ev Evidence) []Change {
	var out []Change
	seen := map[string]bool{}
	for _, id := range plan.Changed {
		seen[id] = true
	}
	created := map[string]bool{}
	for _, p := range plan.Profiles {
		if seen[p.ID] && plan.isNew(p.ID) {
			created[p.ID] = true
			out = append(out, Change{Kind: ChangeProfileCreated, ProfileID: p.ID, Evidence: ev})
		}
	}
	for _, o := range plan.Orphans {
		if !created[o.ProfileID] && plan.isNew(o.ProfileID) {
			created[o.ProfileID] = true
			out = append(out, Change{Kind: ChangeProfileCreated, ProfileID: o.ProfileID, Evidence: ev})
		}
	}
	for _, m := range plan.Memberships {
		id := m.Identifier
		out = append(out, Change{Kind: ChangeIdentifierAdded, ProfileID: m.ProfileID, Identifier: &id, Evidence: ev})
	}
	for _, o := range plan.Orphans {
		id := o.Identifier
		out = append(out, Change{Kind: ChangeIdentifierAdded, ProfileID: o.ProfileID, Identifier: &id, Evidence: ev})
	}
	for _, m := range plan.Retired {
		out = append(out, Change{Kind: ChangeProfileMerged, ProfileID: m.Into, From: m.From, Into: m.Into, Evidence: ev})
	}
	return out
}

// isNew reports whether the plan makes the profile id: one no live
// profile had.
func (plan PromotionPlan) isNew(id string) bool { return !plan.live[id] }
