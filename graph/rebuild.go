package graph

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// assignBatch is how many components one assign_components statement moves.
const assignBatch = 1000

// Rebuild recomputes every profile of a space from the OBSERVED_WITH edges:
// it labels the components with Cypher, gives each component one profile
// (the oldest live profile that held part of it, so surviving ids are kept
// where they can be; a new one when none is left), moves identifiers only
// where the materialised profile differs, and marks profiles left empty as
// merged into the one that took their identifiers, folding in their traits.
// Never decisions hold: a component that joins a never pair is first cut
// apart along the minimum cut between them (keepNeverApart); always pairs
// stay together, joined by the links their decisions made. What it changed
// goes to the space's change feed last (idgraph.RebuildChanges).
func (s *Store) Rebuild(ctx context.Context, space idgraph.Space, progress func(idgraph.Progress)) (idgraph.RebuildReport, error) {
	start := time.Now()
	var rep idgraph.RebuildReport
	if err := s.labelComponents(ctx, space.ID, progress); err != nil {
		return rep, err
	}
	cut, err := s.keepNeverApart(ctx, space.ID)
	if err != nil {
		return rep, err
	}
	if rep.Cut = cut; cut > 0 {
		if err := s.labelComponents(ctx, space.ID, progress); err != nil {
			return rep, err
		}
	}
	comps, err := s.listComponents(ctx, space.ID)
	if err != nil {
		return rep, err
	}
	rep.Components = len(comps)
	plan, err := planRebuild(comps, &rep)
	if err != nil {
		return rep, err
	}
	moved, err := s.writeRebuild(ctx, space.ID, plan, progress)
	if err := s.marked(ctx, space.ID, err); err != nil {
		return rep, err
	}
	if err := s.appendChangesLocked(ctx, space.ID, "append rebuild changes", idgraph.RebuildChanges(plan.created, moved, plan.merges)); err != nil {
		return rep, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

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

// listComponents reads the labelled components of a space, each as the
// parts its profiles hold.
func (s *Store) listComponents(ctx context.Context, space string) (map[string][]part, error) {
	res, err := s.db.ReadQuery(ctx, "list components", cypher.Query("list_components"), map[string]any{"space": space})
	if err != nil {
		return nil, err
	}
	comps := map[string][]part{}
	for _, rec := range res.Records {
		p, err := partFromRecord(rec)
		if err != nil {
			return nil, err
		}
		comps[p.component] = append(comps[p.component], p)
	}
	return comps, nil
}

// partFromRecord reads one row of list_components.
func partFromRecord(rec *neo4j.Record) (part, error) {
	var p part
	var n int64
	var err error
	if p.component, err = value[string](rec, "component"); err != nil {
		return p, err
	}
	if p.profileID, err = value[string](rec, "profile_id"); err != nil {
		return p, err
	}
	if p.createdAt, err = value[time.Time](rec, "created_at"); err != nil {
		return p, err
	}
	if p.merged, err = value[bool](rec, "merged"); err != nil {
		return p, err
	}
	if n, err = value[int64](rec, "identifiers"); err != nil {
		return p, err
	}
	if p.firstSeen, err = value[time.Time](rec, "first_seen"); err != nil {
		return p, err
	}
	if p.traitsJSON, err = value[string](rec, "traits"); err != nil {
		return p, err
	}
	p.n = int(n)
	return p, nil
}

// rebuildPlan is what a Rebuild writes.
type rebuildPlan struct {
	assignments []map[string]any // assign_components rows: {component, profile_id, created_at, traits}
	retired     []map[string]any // retire_profiles rows: {from, into, traits}
	touched     []string         // every profile changed, sorted
	created     []string         // the profiles it makes, sorted
	merges      []idgraph.Merge  // the retired profiles, each into the profile that took most of it
}

// writeRebuild writes plan: the components in batches, then the retired
// profiles (their account links moving to the profiles that took their
// identifiers) and the counts of the touched ones. It returns the
// identifiers that changed profile, each with the profile it is in now.
func (s *Store) writeRebuild(ctx context.Context, space string, plan rebuildPlan, progress func(idgraph.Progress)) ([]idgraph.Membership, error) {
	var moved []idgraph.Membership
	total := len(plan.assignments)
	for i := 0; i < total; i += assignBatch {
		end := min(i+assignBatch, total)
		report(progress, idgraph.Progress{Stage: "rebuild profiles", Done: i, Total: total})
		res, err := s.db.Query(ctx, "assign components", cypher.Query("assign_components"),
			map[string]any{"space": space, "assignments": plan.assignments[i:end]})
		if err != nil {
			return nil, err
		}
		for _, rec := range res.Records {
			id, err := recordIdentifier(rec)
			if err != nil {
				return nil, translate(err, "assign components")
			}
			pid, err := value[string](rec, "profile_id")
			if err != nil {
				return nil, translate(err, "assign components")
			}
			moved = append(moved, idgraph.Membership{Identifier: id, ProfileID: pid})
		}
	}
	if len(plan.retired) > 0 || len(plan.touched) > 0 {
		if _, err := s.db.Query(ctx, "retire profiles", cypher.Query("retire_profiles"),
			map[string]any{"retired": plan.retired, "touched": plan.touched}); err != nil {
			return nil, err
		}
	}
	if len(plan.retired) > 0 {
		// A retired profile's accounts go with its identifiers.
		if _, err := s.db.Query(ctx, "move account links", cypher.Query("move_account_links"),
			map[string]any{"merges": plan.retired}); err != nil {
			return nil, err
		}
	}
	report(progress, idgraph.Progress{Stage: "rebuild profiles", Done: total, Total: total})
	slices.SortFunc(moved, func(a, b idgraph.Membership) int {
		return cmp.Or(strings.Compare(a.ProfileID, b.ProfileID), strings.Compare(a.Identifier.String(), b.Identifier.String()))
	})
	return moved, nil
}
