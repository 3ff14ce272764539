package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Writing a planned split: the cut, the new profiles, traits, decisions and
// the correction record.

// applySplit writes a planned split as a correction of the given kind,
// giving the plan its correction id and every part its rebuilt traits.
func applySplit(ctx context.Context, tx neo4j.ManagedTransaction, space string, plan *idgraph.SplitPlan, kind string) error {
	plan.CorrectionID = idgraph.NewCorrectionID()
	if err := partTraits(ctx, tx, space, plan.Parts); err != nil {
		return err
	}
	return writeSplit(ctx, tx, space, *plan, kind)
}

// writeSplit writes a planned split: the cut, the new profiles, every
// part's traits, the never decisions and the correction.
func writeSplit(ctx context.Context, tx neo4j.ManagedTransaction, space string, plan idgraph.SplitPlan, kind string) error {
	if err := cutEdges(ctx, tx, space, plan.Cut, plan.At, plan.Actor, plan.Reason, plan.CorrectionID); err != nil {
		return err
	}
	var parts, traits []map[string]any
	var profileIDs []string
	for _, p := range plan.Parts {
		profileIDs = append(profileIDs, p.ProfileID)
		traits = append(traits, map[string]any{"id": p.ProfileID, "traits": jsonText(p.Traits)})
		if !p.Kept {
			parts = append(parts, map[string]any{"profile_id": p.ProfileID, "traits": jsonText(p.Traits), "identifiers": sightingRows(p.Identifiers)})
		}
	}
	steps := []struct {
		name   string
		params map[string]any
	}{
		{"split_profile", map[string]any{"space": space, "profile_id": plan.ProfileID, "at": plan.At, "correction_id": plan.CorrectionID, "parts": parts}},
		{"set_traits", map[string]any{"profiles": traits, "at": plan.At}},
		{"create_link_decisions", map[string]any{"space": space, "decisions": decisionRows(plan.Never)}},
		{"create_correction", map[string]any{
			"space": space, "id": plan.CorrectionID, "kind": kind, "at": plan.At, "actor": plan.Actor,
			"reason": plan.Reason, "profile_id": plan.ProfileID, "detail": jsonText(splitDetail(plan)), "profile_ids": profileIDs,
		}},
	}
	for _, st := range steps {
		if st.name == "create_link_decisions" && len(plan.Never) == 0 {
			continue // a re-homing split records none
		}
		if _, err := run(ctx, tx, st.name, st.params); err != nil {
			return err
		}
	}
	return nil
}

// cutEdges turns the live links into CUT relationships marked with who cut
// them, when, why and by which correction.
func cutEdges(ctx context.Context, tx neo4j.ManagedTransaction, space string, cut []idgraph.Edge, at time.Time, actor, reason, correctionID string) error {
	links := make([]map[string]any, len(cut))
	for i, e := range cut {
		links[i] = map[string]any{"a_type": e.A.Type, "a_value": e.A.Value, "b_type": e.B.Type, "b_value": e.B.Value}
	}
	_, err := run(ctx, tx, "cut_links", map[string]any{"space": space, "links": links, "at": at, "actor": actor, "reason": reason, "correction_id": correctionID})
	return err
}

func decisionRows(ds []idgraph.LinkDecision) []map[string]any {
	rows := make([]map[string]any, len(ds))
	for i, d := range ds {
		rows[i] = map[string]any{
			"id": d.ID, "a_type": d.A.Type, "a_value": d.A.Value, "b_type": d.B.Type, "b_value": d.B.Value,
			"decision": d.Decision, "reason": d.Reason, "actor": d.Actor, "at": d.At,
		}
	}
	return rows
}

// splitDetail is what the correction record keeps of a split: the links
// cut, the parts (profile id and identifiers) and the decisions made.
func splitDetail(plan idgraph.SplitPlan) map[string]any {
	var cut []map[string]any
	for _, e := range plan.Cut {
		cut = append(cut, map[string]any{"a": e.A.String(), "b": e.B.String(), "count": e.Count})
	}
	var parts []map[string]any
	for _, p := range plan.Parts {
		var ids []string
		for _, s := range p.Identifiers {
			ids = append(ids, s.Identifier.String())
		}
		parts = append(parts, map[string]any{"profile_id": p.ProfileID, "identifiers": ids, "kept": p.Kept})
	}
	var never []string
	for _, d := range plan.Never {
		never = append(never, d.ID)
	}
	return map[string]any{"cut": cut, "parts": parts, "never": never}
}
