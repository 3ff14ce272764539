package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// promoteBatch is how many rows one statement of a promotion writes.
const promoteBatch = 5000

// PromoteRules writes a promotion: the replay's links in place of the
// space's (only those that differ), its refusals in place of the space's,
// the plan's profiles, memberships, orphans and retired profiles, a
// rules_changed correction in the history of every profile changed, and
// last the new rules version v, which makes it active. The caller holds
// the space's lock; ECONFLICT when the space's active version is no longer
// v.Version-1 (another promotion got there first).
func (s *Store) PromoteRules(ctx context.Context, space idgraph.Space, v idgraph.RulesVersion, replay *idgraph.Replay, plan idgraph.PromotionPlan, progress func(idgraph.Progress)) (err error) {
	// Its many transactions end as one write for OnCommit's callers.
	defer func() { s.committed(space.ID, err) }()
	active, err := s.ActiveRules(ctx, space)
	if err != nil {
		return err
	}
	if active.Version != v.Version-1 {
		return idgraph.Errorf(idgraph.ECONFLICT, "the rules of space %s changed: version %d is active, the promotion was of version %d", space.ID, active.Version, v.Version-1)
	}
	at := time.Now().UTC()
	msg := fmt.Sprintf("rules_v%d", v.Version)
	steps := []struct {
		stage string
		fn    func() error
	}{
		{"identifiers", func() error { return s.promoteIdentifiers(ctx, space.ID, plan.New) }},
		{"cuts", func() error { return s.promoteCuts(ctx, space.ID, v.Version, replay.Cuts()) }},
		{"links", func() error { return s.promoteEdges(ctx, space.ID, replay.Edges()) }},
		{"shared", func() error { return s.promoteShared(ctx, space.ID, replay) }},
		{"refusals", func() error { return s.promoteRejections(ctx, space.ID, replay.Rejections()) }},
		{"profiles", func() error { return s.promoteProfiles(ctx, space.ID, plan) }},
		{"retired", func() error {
			rows := make([]idgraph.Merge, len(plan.Retired))
			for i, m := range plan.Retired {
				m.At, m.MessageID, m.SourceID = at, msg, "rules"
				rows[i] = m
			}
			if err := s.batches(ctx, space.ID, "retire_profiles_rules", "merges", mergeRows(rows)); err != nil {
				return err
			}
			return s.batches(ctx, space.ID, "move_account_links", "merges", mergeRows(rows))
		}},
		{"history", func() error { return s.promoteHistory(ctx, space.ID, v, at, plan.Changed) }},
		{"change feed", func() error {
			ev := idgraph.Evidence{CorrectionID: rulesCorrectionID(space.ID, v.Version), Actor: v.Actor, Reason: v.Reason}
			return s.appendChangesLocked(ctx, space.ID, "append rules changes", plan.Changes(ev))
		}},
	}
	for i, st := range steps {
		report(progress, idgraph.Progress{Stage: "promote " + st.stage, Done: i, Total: len(steps) + 1})
		if err := st.fn(); err != nil {
			return err
		}
	}
	_, err = Write(ctx, s.db, "record rules version", func(tx neo4j.ManagedTransaction) (time.Time, error) {
		if err := lockSpaceTx(ctx, tx, space.ID); err != nil {
			return time.Time{}, err
		}
		return createRulesVersion(ctx, tx, space.ID, v)
	})
	if err != nil {
		return err
	}
	report(progress, idgraph.Progress{Stage: "promote done", Done: len(steps) + 1, Total: len(steps) + 1})
	return nil
}

// batches runs the named statement over rows, promoteBatch at a time, as
// $key, each batch a transaction that takes the space's lock first (as
// every write of a space does, lock.go).
func (s *Store) batches(ctx context.Context, space, name, key string, rows []map[string]any) error {
	for i := 0; i < len(rows); i += promoteBatch {
		end := min(i+promoteBatch, len(rows))
		params := map[string]any{"space": space, key: rows[i:end]}
		_, err := Write(ctx, s.db, name, func(tx neo4j.ManagedTransaction) (struct{}, error) {
			if err := lockSpaceTx(ctx, tx, space); err != nil {
				return struct{}{}, err
			}
			_, err := run(ctx, tx, name, params)
			return struct{}{}, err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// promoteIdentifiers creates the nodes of identifiers the old rules
// blocked and the new ones accept.
func (s *Store) promoteIdentifiers(ctx context.Context, space string, ids []idgraph.Sighting) error {
	rows := make([]map[string]any, len(ids))
	for i, sg := range ids {
		rows[i] = map[string]any{
			"type": sg.Type, "value": sg.Value, "device": sg.IsDevice(),
			"first_seen": sg.FirstSeen, "last_seen": sg.LastSeen,
			"first_source_id": sg.FirstSourceID, "first_message_id": sg.FirstMessageID,
		}
	}
	return s.batches(ctx, space, "merge_identifiers", "identifiers", rows)
}

// promoteEdges makes the space's OBSERVED_WITH links the replay's: it
// deletes those the replay has not, and sets those it has that are new or
// counted differently.
func (s *Store) promoteEdges(ctx context.Context, space string, edges []idgraph.Edge) error {
	type pair [2]idgraph.Identifier
	want := make(map[pair]int, len(edges))
	for _, e := range edges {
		want[pair{e.A, e.B}] = e.Count
	}
	have := map[pair]int{}
	var stale []map[string]any
	_, err := collect(ctx, s, "list links", "list_space_edges", map[string]any{"space": space}, func(rec *neo4j.Record) (struct{}, error) {
		var ids [2]idgraph.Identifier
		for i, p := range []string{"a", "b"} {
			t, err := value[string](rec, p+"_type")
			if err != nil {
				return struct{}{}, err
			}
			v, err := value[string](rec, p+"_value")
			if err != nil {
				return struct{}{}, err
			}
			ids[i] = idgraph.Identifier{Type: t, Value: v}
		}
		n, err := value[int64](rec, "count")
		if err != nil {
			return struct{}{}, err
		}
		k := pair(ids)
		have[k] = int(n)
		if _, ok := want[k]; !ok {
			stale = append(stale, map[string]any{"a_type": ids[0].Type, "a_value": ids[0].Value, "b_type": ids[1].Type, "b_value": ids[1].Value})
		}
		return struct{}{}, nil
	})
	if err != nil {
		return err
	}
	if err := s.batches(ctx, space, "delete_edges", "edges", stale); err != nil {
		return err
	}
	var changed []idgraph.Edge
	for _, e := range edges {
		if n, ok := have[pair{e.A, e.B}]; !ok || n != e.Count {
			changed = append(changed, e)
		}
	}
	return s.batches(ctx, space, "set_edges", "edges", edgeRows(changed))
}

// promoteCuts cuts the live links the replay cut re-homing what shared
// identifiers glued, as live ingestion cuts them (graph.rehome): each
// becomes a CUT relationship by idgraph with the mark's sentence as its
// reason, under the promotion's correction. It runs before promoteEdges,
// which would delete them.
func (s *Store) promoteCuts(ctx context.Context, space string, version int, cuts []idgraph.RehomeCut) error {
	id := rulesCorrectionID(space, version)
	rows := make([]map[string]any, len(cuts))
	for i, c := range cuts {
		rows[i] = map[string]any{
			"a_type": c.A.Type, "a_value": c.A.Value, "b_type": c.B.Type, "b_value": c.B.Value,
			"at": c.At, "actor": idgraph.SharedActor, "reason": c.Reason, "correction_id": id,
		}
	}
	return s.batches(ctx, space, "cut_shared_links", "links", rows)
}

// promoteShared makes the space's shared marks the replay's: every mark is
// taken away (none stays when the candidate rules turn shared identifiers
// off) and the replay's are written, with the companies its shareable
// identifiers keep, as live ingestion writes them (graph.rehome).
func (s *Store) promoteShared(ctx context.Context, space string, replay *idgraph.Replay) error {
	if _, err := s.db.autocommit(ctx, "unmark shared", cypher.Query("unmark_shared"), map[string]any{"space": space}); err != nil {
		return err
	}
	marks := replay.Marks()
	rows := make([]map[string]any, len(marks))
	for i, m := range marks {
		rows[i] = markRow(m)
	}
	if err := s.batches(ctx, space, "mark_shared", "marks", rows); err != nil {
		return err
	}
	return s.batches(ctx, space, "set_companies", "companies", companyRows(replay.Companies()))
}

// promoteRejections replaces the space's REJECTED links with the replay's.
func (s *Store) promoteRejections(ctx context.Context, space string, rejections []idgraph.Rejection) error {
	if _, err := s.db.autocommit(ctx, "delete refusals", cypher.Query("delete_rejections"), map[string]any{"space": space}); err != nil {
		return err
	}
	return s.batches(ctx, space, "merge_rejections", "rejections", rejectionRows(rejections))
}

// promoteProfiles writes the profiles the plan changes and creates, then
// moves the identifiers that change profile, orphans included.
func (s *Store) promoteProfiles(ctx context.Context, space string, plan idgraph.PromotionPlan) error {
	changed := map[string]bool{}
	for _, id := range plan.Changed {
		changed[id] = true
	}
	var profiles []idgraph.Profile
	for _, p := range plan.Profiles {
		if changed[p.ID] {
			profiles = append(profiles, p)
		}
	}
	memberships := plan.Memberships
	for _, o := range plan.Orphans {
		profiles = append(profiles, idgraph.Profile{
			ID: o.ProfileID, CreatedAt: o.FirstSeen, UpdatedAt: o.FirstSeen, Traits: idgraph.Traits{},
			Identifiers: []idgraph.Sighting{{Identifier: o.Identifier, FirstSeen: o.FirstSeen}},
		})
		memberships = append(memberships, idgraph.Membership{Identifier: o.Identifier, ProfileID: o.ProfileID})
	}
	if err := s.batches(ctx, space, "merge_profiles", "profiles", profileRows(profiles)); err != nil {
		return err
	}
	return s.batches(ctx, space, "move_memberships", "memberships", membershipRows(memberships))
}

// promoteHistory records one rules_changed correction, CORRECTED to every
// profile the promotion changed.
func (s *Store) promoteHistory(ctx context.Context, space string, v idgraph.RulesVersion, at time.Time, changed []string) error {
	detail, err := json.Marshal(idgraph.CorrectionDetail{RulesVersion: v.Version})
	if err != nil {
		return idgraph.WrapError(idgraph.EINTERNAL, err, "encode correction")
	}
	reason := v.Reason
	if reason == "" {
		reason = fmt.Sprintf("rules version %d promoted", v.Version)
	}
	id := rulesCorrectionID(space, v.Version)
	params := map[string]any{"space": space, "id": id, "at": at, "actor": v.Actor, "reason": reason, "detail": string(detail)}
	for i := 0; i == 0 || i < len(changed); i += promoteBatch {
		params["profile_ids"] = changed[i:min(i+promoteBatch, len(changed))]
		_, err := Write(ctx, s.db, "record rules change", func(tx neo4j.ManagedTransaction) (struct{}, error) {
			if err := lockSpaceTx(ctx, tx, space); err != nil {
				return struct{}{}, err
			}
			_, err := run(ctx, tx, "create_rules_correction", params)
			return struct{}{}, err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// rulesCorrectionID names the correction that records a rules change.
func rulesCorrectionID(space string, version int) string {
	return fmt.Sprintf("rules_%s_v%d", space, version)
}

// appendChangesLocked appends changes made outside the write path (a
// promotion's, a rebuild's) to the space's feed, promoteBatch a
// transaction each under the space's lock, and wakes the feed's waiters.
func (s *Store) appendChangesLocked(ctx context.Context, space, op string, changes []idgraph.Change) error {
	for i := 0; i < len(changes); i += promoteBatch {
		part := changes[i:min(i+promoteBatch, len(changes))]
		_, err := Write(ctx, s.db, op, func(tx neo4j.ManagedTransaction) (struct{}, error) {
			if err := lockSpaceTx(ctx, tx, space); err != nil {
				return struct{}{}, err
			}
			return struct{}{}, appendChanges(ctx, writeTx{tx, run}, space, part)
		})
		s.committed(space, err)
		if err != nil {
			return err
		}
	}
	return nil
}
