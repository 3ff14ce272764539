package graph

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Link records a never or always decision in one write transaction (see
// idgraph.LinkService): it checks that both identifiers exist and that no
// decision between them contradicts d, then for a never decision between
// two identifiers of one profile either answers the minimum cut (ECONFLICT)
// or, with split, applies it; for an always decision between two profiles
// it joins them through the write path with a manual event as evidence.
// The decision and a correction record are written last.
func (s *Store) Link(ctx context.Context, space idgraph.Space, d idgraph.LinkDecision, split bool) (idgraph.LinkResult, error) {
	space, err := s.underActiveRules(ctx, space)
	if err != nil {
		return idgraph.LinkResult{}, err
	}
	res, err := Write(ctx, s.db, "link identifiers", func(tx neo4j.ManagedTransaction) (idgraph.LinkResult, error) {
		return linkTx(ctx, tx, space, d, split)
	})
	s.committed(space.ID, err)
	return res, err
}

func linkTx(ctx context.Context, tx neo4j.ManagedTransaction, space idgraph.Space, d idgraph.LinkDecision, split bool) (idgraph.LinkResult, error) {
	res := idgraph.LinkResult{Decision: d}
	if err := lockSpaceTx(ctx, tx, space.ID); err != nil {
		return res, err
	}
	owners, err := identifierProfiles(ctx, tx, space.ID, d.A, d.B)
	if err != nil {
		return res, err
	}
	if old, ok, err := decisionBetween(ctx, tx, space.ID, d.A, d.B); err != nil || ok {
		if err == nil && old.Decision != d.Decision {
			err = idgraph.Errorf(idgraph.ECONFLICT, "decision: %s and %s already have the %s decision %s by %s; remove it first", d.A, d.B, old.Decision, old.ID, old.Actor)
		}
		return idgraph.LinkResult{Decision: old}, err
	}
	together := owners[d.A] != "" && owners[d.A] == owners[d.B]
	switch {
	case d.Decision == idgraph.DecisionNever && together:
		plan, err := splitApart(ctx, tx, space, d, split)
		if err != nil {
			return res, err
		}
		res.Split = &plan
	case d.Decision == idgraph.DecisionAlways && !together:
		if res.ProfileID, err = joinAlways(ctx, tx, space, d); err != nil {
			return res, err
		}
	case d.Decision == idgraph.DecisionAlways:
		res.ProfileID = owners[d.A]
	}
	res.Created = true
	if _, err := run(ctx, tx, "create_link_decisions", map[string]any{"space": space.ID, "decisions": decisionRows([]idgraph.LinkDecision{d})}); err != nil {
		return res, err
	}
	return res, recordLinkCorrection(ctx, tx, space.ID, idgraph.HistoryLinked, d, d.Actor, d.At)
}

// identifierProfiles answers the profile of each identifier; ENOTFOUND
// naming those the space does not have.
func identifierProfiles(ctx context.Context, tx neo4j.ManagedTransaction, space string, ids ...idgraph.Identifier) (map[idgraph.Identifier]string, error) {
	rows := identifierRows(ids)
	records, err := run(ctx, tx, "find_identifier_profiles", map[string]any{"space": space, "identifiers": rows})
	if err != nil {
		return nil, err
	}
	owners := map[idgraph.Identifier]string{}
	for _, rec := range records {
		id, err := recordIdentifier(rec)
		if err != nil {
			return nil, err
		}
		if owners[id], err = value[string](rec, "profile_id"); err != nil {
			return nil, err
		}
	}
	var missing []string
	for _, id := range ids {
		if _, ok := owners[id]; !ok {
			missing = append(missing, id.String())
		}
	}
	if len(missing) > 0 {
		return nil, idgraph.Errorf(idgraph.ENOTFOUND, "no identifier %s in space %s", strings.Join(missing, " or "), space)
	}
	return owners, nil
}

// decisionBetween answers the decision between a and b, if there is one.
func decisionBetween(ctx context.Context, tx neo4j.ManagedTransaction, space string, a, b idgraph.Identifier) (idgraph.LinkDecision, bool, error) {
	ds, err := findDecisions(ctx, tx, space, []idgraph.Identifier{a})
	if err != nil {
		return idgraph.LinkDecision{}, false, err
	}
	for _, d := range ds {
		if (d.A == a && d.B == b) || (d.A == b && d.B == a) {
			return d, true, nil
		}
	}
	return idgraph.LinkDecision{}, false, nil
}

// findDecisions reads the decisions naming any of ids.
func findDecisions(ctx context.Context, tx neo4j.ManagedTransaction, space string, ids []idgraph.Identifier) ([]idgraph.LinkDecision, error) {
	rows := identifierRows(ids)
	records, err := run(ctx, tx, "find_link_decisions", map[string]any{"space": space, "identifiers": rows})
	if err != nil {
		return nil, err
	}
	return decisionsFromRecords(records)
}

// profileDecisions reads the decisions naming a member of the profiles.
func profileDecisions(ctx context.Context, tx writeTx, profileIDs ...string) ([]idgraph.LinkDecision, error) {
	if len(profileIDs) == 0 {
		return nil, nil
	}
	records, err := tx.run(ctx, "find_profile_decisions", map[string]any{"profile_ids": profileIDs})
	if err != nil {
		return nil, err
	}
	return decisionsFromRecords(records)
}

func decisionsFromRecords(records []*neo4j.Record) ([]idgraph.LinkDecision, error) {
	out := make([]idgraph.LinkDecision, len(records))
	for i, rec := range records {
		d, err := decisionFromRecord(rec)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

func decisionFromRecord(rec *neo4j.Record) (idgraph.LinkDecision, error) {
	var d idgraph.LinkDecision
	var err error
	if d.A, err = prefixedIdentifier(rec, "a_"); err != nil {
		return d, err
	}
	if d.B, err = prefixedIdentifier(rec, "b_"); err != nil {
		return d, err
	}
	for key, dst := range map[string]*string{"id": &d.ID, "decision": &d.Decision, "reason": &d.Reason, "actor": &d.Actor} {
		if *dst, err = value[string](rec, key); err != nil {
			return d, err
		}
	}
	at, err := value[time.Time](rec, "at")
	d.At = utc(at)
	return d, err
}

// splitApart applies the minimum cut between a never decision's two
// identifiers when split is set, and otherwise answers it as ECONFLICT.
func splitApart(ctx context.Context, tx neo4j.ManagedTransaction, space idgraph.Space, d idgraph.LinkDecision, split bool) (idgraph.SplitPlan, error) {
	req := idgraph.Split{Apart: []idgraph.Identifier{d.A, d.B}, Forget: true, Reason: d.Reason}
	if split {
		return splitTx(ctx, tx, space, d.A, req, d.Actor, d.At)
	}
	in, err := readSplitInput(ctx, tx, space.ID, d.A, nil)
	if err != nil {
		return idgraph.SplitPlan{}, err
	}
	cut, err := idgraph.MinCut(in.Edges, d.A, d.B)
	if err != nil {
		return idgraph.SplitPlan{}, err
	}
	links := make([]string, len(cut))
	for i, e := range cut {
		links[i] = fmt.Sprintf("%s - %s (%d %s)", e.A, e.B, e.Count, plural(e.Count, "event", "events"))
	}
	return idgraph.SplitPlan{}, idgraph.Errorf(idgraph.ECONFLICT,
		"%s and %s are together in profile %s; the minimum cut that would separate them is %s; send \"split\": true to apply it",
		d.A, d.B, in.Profile.ID, strings.Join(links, "; "))
}

// recordLinkCorrection records a linked or unlinked correction on the
// profiles of the decision's identifiers.
func recordLinkCorrection(ctx context.Context, tx neo4j.ManagedTransaction, space, kind string, d idgraph.LinkDecision, actor string, at time.Time) error {
	owners, err := identifierProfiles(ctx, tx, space, d.A, d.B)
	if err != nil {
		return err
	}
	var pids []string
	for _, id := range []idgraph.Identifier{d.A, d.B} {
		if pid := owners[id]; pid != "" && (len(pids) == 0 || pids[0] != pid) {
			pids = append(pids, pid)
		}
	}
	detail := map[string]any{"decision_id": d.ID, "decision": d.Decision, "a": d.A.String(), "b": d.B.String()}
	_, err = run(ctx, tx, "create_correction", map[string]any{
		"space": space, "id": idgraph.NewCorrectionID(), "kind": kind, "at": at, "actor": actor,
		"reason": d.Reason, "profile_id": owners[d.A], "detail": jsonText(detail), "profile_ids": pids,
	})
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
