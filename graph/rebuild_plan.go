package graph

import (
	"encoding/json"
	"sort"

	"github.com/idgraph/idgraph"
)

// planRebuild chooses a profile for every component, moves the components
// whose identifiers are not all in it already, and retires the live
// profiles that no component kept. It counts what it plans in rep.
func planRebuild(comps map[string][]part, rep *idgraph.RebuildReport) (rebuildPlan, error) {
	labels := largestFirst(comps)
	ch := chooseProfiles(labels, comps)
	var plan rebuildPlan
	for _, c := range labels {
		a, err := assignment(c, comps[c], ch, rep)
		if err != nil {
			return plan, err
		}
		if a != nil {
			plan.assignments = append(plan.assignments, a)
			plan.touched = append(plan.touched, ch.profile[c])
			if ch.created[c] {
				plan.created = append(plan.created, ch.profile[c])
			}
		}
	}
	for pid := range ch.live {
		if ch.kept[pid] {
			continue
		}
		best := largestShare(pid, labels, comps)
		plan.retired = append(plan.retired, map[string]any{
			"from": pid, "into": ch.profile[best], "traits": assignmentTraits(plan.assignments, best),
		})
		plan.merges = append(plan.merges, idgraph.Merge{From: pid, Into: ch.profile[best]})
		plan.touched = append(plan.touched, pid)
		rep.Removed++
	}
	sort.Strings(plan.touched)
	sort.Strings(plan.created)
	sort.Slice(plan.merges, func(i, j int) bool { return plan.merges[i].From < plan.merges[j].From })
	return plan, nil
}

// largestFirst returns the component labels by size, largest first (ties:
// by label), the order in which components choose their profiles: the
// largest component keeps a split profile's id.
func largestFirst(comps map[string][]part) []string {
	labels := make([]string, 0, len(comps))
	size := map[string]int{}
	for c, parts := range comps {
		labels = append(labels, c)
		for _, p := range parts {
			size[c] += p.n
		}
	}
	sort.Slice(labels, func(i, j int) bool {
		if size[labels[i]] != size[labels[j]] {
			return size[labels[i]] > size[labels[j]]
		}
		return labels[i] < labels[j]
	})
	return labels
}

// choice is the profile each component gets.
type choice struct {
	profile map[string]string // component → profile id
	created map[string]bool   // component → its profile is new
	kept    map[string]bool   // live profile id → a component took it
	live    map[string]bool   // every live profile holding part of a component
}

// chooseProfiles gives each component, in the order of labels, the oldest
// live profile that holds part of it and that no component before it took
// (ties: the smallest id), or a new profile when there is none. It sorts
// each component's parts oldest first.
func chooseProfiles(labels []string, comps map[string][]part) choice {
	ch := choice{profile: map[string]string{}, created: map[string]bool{}, kept: map[string]bool{}, live: map[string]bool{}}
	for _, c := range labels {
		parts := comps[c]
		sort.Slice(parts, func(i, j int) bool {
			if !parts[i].createdAt.Equal(parts[j].createdAt) {
				return parts[i].createdAt.Before(parts[j].createdAt)
			}
			return parts[i].profileID < parts[j].profileID
		})
		for _, p := range parts {
			if p.profileID == "" || p.merged {
				continue
			}
			ch.live[p.profileID] = true
			if !ch.kept[p.profileID] && ch.profile[c] == "" {
				ch.kept[p.profileID], ch.profile[c] = true, p.profileID
			}
		}
		if ch.profile[c] == "" {
			ch.profile[c], ch.created[c] = idgraph.NewProfileID(), true
		}
	}
	return ch
}

// assignment returns the assign_components row that moves component c's
// identifiers into its chosen profile, with the traits of all its parts
// and its earliest sighting; nil when they are all in that profile
// already. It counts the profile kept or created and the identifiers moved.
func assignment(c string, parts []part, ch choice, rep *idgraph.RebuildReport) (map[string]any, error) {
	target := ch.profile[c]
	if len(parts) == 1 && parts[0].profileID == target {
		return nil, nil
	}
	traits, err := mergedTraits(parts)
	if err != nil {
		return nil, err
	}
	first := parts[0].firstSeen
	for _, p := range parts {
		if p.profileID != target {
			rep.Moved += p.n
		}
		if p.firstSeen.Before(first) {
			first = p.firstSeen
		}
	}
	if ch.created[c] {
		rep.Created++
	} else {
		rep.Kept++
	}
	return map[string]any{"component": c, "profile_id": target, "created_at": first, "traits": jsonText(traits)}, nil
}

// mergedTraits folds the traits of parts, in order, newest value per key
// winning.
func mergedTraits(parts []part) (idgraph.Traits, error) {
	traits := idgraph.Traits{}
	for _, p := range parts {
		if p.traitsJSON == "" {
			continue
		}
		var t idgraph.Traits
		if err := json.Unmarshal([]byte(p.traitsJSON), &t); err != nil {
			return nil, idgraph.WrapError(idgraph.EINTERNAL, err, "profile %s: bad traits", p.profileID)
		}
		traits.Merge(t)
	}
	return traits, nil
}

// largestShare returns the component holding most of profile pid's
// identifiers (ties: the first in labels).
func largestShare(pid string, labels []string, comps map[string][]part) string {
	best, bestN := "", -1
	for _, c := range labels {
		for _, p := range comps[c] {
			if p.profileID == pid && p.n > bestN {
				best, bestN = c, p.n
			}
		}
	}
	return best
}

// assignmentTraits returns the traits planned for component, "{}" when
// the component is not moved.
func assignmentTraits(assignments []map[string]any, component string) string {
	for _, a := range assignments {
		if a["component"] == component {
			return a["traits"].(string)
		}
	}
	return "{}"
}
