package graph

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// part is the share of one component held by one profile (or by none).
type part struct {
	component  string
	profileID  string
	createdAt  time.Time
	merged     bool
	n          int
	firstSeen  time.Time
	traitsJSON string
}

// Rebuild recomputes every profile of a space from the OBSERVED_WITH edges:
// it labels the components with Cypher, gives each component one profile
// (the oldest live profile that held part of it, so surviving ids are kept
// where they can be; a new one when none is left), moves identifiers only
// where the materialised profile differs, and marks profiles left empty as
// merged into the one that took their identifiers, folding in their traits.
func (s *Store) Rebuild(ctx context.Context, space idgraph.Space, progress func(idgraph.Progress)) (idgraph.RebuildReport, error) {
	start := time.Now()
	var rep idgraph.RebuildReport
	if err := s.labelComponents(ctx, space.ID, progress); err != nil {
		return rep, err
	}
	res, err := s.db.ReadQuery(ctx, "list components", cypher.Query("list_components"), map[string]any{"space": space.ID})
	if err != nil {
		return rep, err
	}
	comps := map[string][]part{}
	for _, rec := range res.Records {
		var p part
		var n int64
		var err error
		if p.component, err = value[string](rec, "component"); err != nil {
			return rep, err
		}
		if p.profileID, err = value[string](rec, "profile_id"); err != nil {
			return rep, err
		}
		if p.createdAt, err = value[time.Time](rec, "created_at"); err != nil {
			return rep, err
		}
		if p.merged, err = value[bool](rec, "merged"); err != nil {
			return rep, err
		}
		if n, err = value[int64](rec, "identifiers"); err != nil {
			return rep, err
		}
		if p.firstSeen, err = value[time.Time](rec, "first_seen"); err != nil {
			return rep, err
		}
		if p.traitsJSON, err = value[string](rec, "traits"); err != nil {
			return rep, err
		}
		p.n = int(n)
		comps[p.component] = append(comps[p.component], p)
	}
	rep.Components = len(comps)

	assignments, retired, touched, err := planRebuild(comps, &rep)
	if err != nil {
		return rep, err
	}
	for i := 0; i < len(assignments); i += 1000 {
		end := min(i+1000, len(assignments))
		report(progress, idgraph.Progress{Stage: "rebuild profiles", Done: i, Total: len(assignments)})
		if _, err := s.db.Query(ctx, "assign components", cypher.Query("assign_components"),
			map[string]any{"space": space.ID, "assignments": assignments[i:end]}); err != nil {
			return rep, err
		}
	}
	if len(retired) > 0 || len(touched) > 0 {
		if _, err := s.db.Query(ctx, "retire profiles", cypher.Query("retire_profiles"),
			map[string]any{"retired": retired, "touched": touched}); err != nil {
			return rep, err
		}
	}
	report(progress, idgraph.Progress{Stage: "rebuild profiles", Done: len(assignments), Total: len(assignments)})
	rep.Took = time.Since(start)
	return rep, nil
}

// planRebuild chooses a profile for every component and returns the
// components to move, the profiles to retire and every profile touched.
func planRebuild(comps map[string][]part, rep *idgraph.RebuildReport) (assignments, retired []map[string]any, touched []string, err error) {
	labels := make([]string, 0, len(comps))
	size := map[string]int{}
	for c, parts := range comps {
		labels = append(labels, c)
		for _, p := range parts {
			size[c] += p.n
		}
	}
	// The largest component keeps a split profile's id.
	sort.Slice(labels, func(i, j int) bool {
		if size[labels[i]] != size[labels[j]] {
			return size[labels[i]] > size[labels[j]]
		}
		return labels[i] < labels[j]
	})
	claimed := map[string]string{} // profile id → component
	target := map[string]string{}  // component → profile id
	live := map[string]bool{}
	for _, c := range labels {
		parts := comps[c]
		sort.Slice(parts, func(i, j int) bool {
			if !parts[i].createdAt.Equal(parts[j].createdAt) {
				return parts[i].createdAt.Before(parts[j].createdAt)
			}
			return parts[i].profileID < parts[j].profileID
		})
		first := parts[0].firstSeen
		for _, p := range parts {
			if p.profileID != "" && !p.merged {
				live[p.profileID] = true
				if claimed[p.profileID] == "" && target[c] == "" {
					claimed[p.profileID], target[c] = c, p.profileID
				}
			}
			if p.firstSeen.Before(first) {
				first = p.firstSeen
			}
		}
		created := false
		if target[c] == "" {
			target[c], created = idgraph.NewProfileID(), true
			claimed[target[c]] = c
		}
		dirty := len(parts) > 1 || parts[0].profileID != target[c]
		if !dirty {
			continue
		}
		traits := idgraph.Traits{}
		for _, p := range parts {
			if p.traitsJSON != "" {
				var t idgraph.Traits
				if err := json.Unmarshal([]byte(p.traitsJSON), &t); err != nil {
					return nil, nil, nil, idgraph.WrapError(idgraph.EINTERNAL, err, "profile %s: bad traits", p.profileID)
				}
				traits.Merge(t)
			}
			if p.profileID != target[c] {
				rep.Moved += p.n
			}
		}
		if created {
			rep.Created++
		} else {
			rep.Kept++
		}
		assignments = append(assignments, map[string]any{
			"component": c, "profile_id": target[c], "created_at": first, "traits": jsonText(traits),
		})
		touched = append(touched, target[c])
	}
	// Live profiles that no component kept are retired into the component
	// that holds most of their former identifiers.
	for pid := range live {
		if claimed[pid] != "" {
			continue
		}
		best, bestN := "", -1
		for _, c := range labels {
			for _, p := range comps[c] {
				if p.profileID == pid && p.n > bestN {
					best, bestN = c, p.n
				}
			}
		}
		retired = append(retired, map[string]any{"from": pid, "into": target[best], "traits": assignmentTraits(assignments, best)})
		touched = append(touched, pid)
		rep.Removed++
	}
	sort.Strings(touched)
	return assignments, retired, touched, nil
}

func assignmentTraits(assignments []map[string]any, component string) string {
	for _, a := range assignments {
		if a["component"] == component {
			return a["traits"].(string)
		}
	}
	return "{}"
}
