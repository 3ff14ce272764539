package graph

import (
	"context"
	"errors"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// errPreview ends a preview's transaction without committing it.
var errPreview = errors.New("graph: preview, roll back")

// Split divides the profile holding id as s asks (idgraph.PlanSplit), in
// one write transaction that takes its locks in the write path's order (the
// space, the profile's identifiers, sorted, then the profile): it reads the profile and
// its live links, plans the split in Go, cuts the links (CUT, never
// deleted), moves each new part into a profile of its own, rebuilds every
// part's traits from its own identify events, records the never decisions
// and the correction. A preview runs the same transaction and rolls it
// back. The function recomputes from what it reads, so the driver may run
// it again after a deadlock.
func (s *Store) Split(ctx context.Context, space idgraph.Space, id idgraph.Identifier, req idgraph.Split, actor string, preview bool) (idgraph.SplitPlan, error) {
	space, err := s.underActiveRules(ctx, space)
	if err != nil {
		return idgraph.SplitPlan{}, err
	}
	at := time.Now().UTC().Truncate(time.Millisecond)
	plan, err := correct(ctx, s.db, space.ID, "split profile", preview, func(tx neo4j.ManagedTransaction) (idgraph.SplitPlan, error) {
		return splitTx(ctx, tx, space, id, req, actor, at)
	})
	if preview {
		plan.CorrectionID = ""
	} else {
		s.committed(space.ID, err)
	}
	return plan, err
}

// correct runs a correction's transaction function, committing it, or for
// a preview rolling it back and answering what it would have done (with no
// correction id). It takes the space's lock first.
func correct[T any](ctx context.Context, db *DB, space, op string, preview bool, work func(neo4j.ManagedTransaction) (T, error)) (T, error) {
	var out T
	_, err := Write(ctx, db, op, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		if err := lockSpaceTx(ctx, tx, space); err != nil {
			return struct{}{}, err
		}
		var err error
		out, err = work(tx)
		if err == nil && preview {
			err = errPreview
		}
		return struct{}{}, err
	})
	if preview && errors.Is(err, errPreview) {
		return out, nil
	}
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

func splitTx(ctx context.Context, tx neo4j.ManagedTransaction, space idgraph.Space, id idgraph.Identifier, req idgraph.Split, actor string, at time.Time) (idgraph.SplitPlan, error) {
	in, err := readSplitInput(ctx, tx, space.ID, id, req.Event)
	if err != nil {
		return idgraph.SplitPlan{}, err
	}
	plan, err := idgraph.PlanSplit(in, req, space.Rules, actor, at, idgraph.NewProfileID)
	if err != nil {
		return plan, err
	}
	if err := applySplit(ctx, tx, space.ID, &plan, idgraph.HistorySplit); err != nil {
		return plan, err
	}
	return plan, appendChanges(ctx, writeTx{tx, run}, space.ID, []idgraph.Change{idgraph.SplitChange(plan)})
}

// readSplitInput locks the profile holding id and reads it with its live
// links and, for an event split, the identifiers that event carried.
func readSplitInput(ctx context.Context, tx neo4j.ManagedTransaction, space string, id idgraph.Identifier, ev *idgraph.EventKey) (idgraph.SplitInput, error) {
	var in idgraph.SplitInput
	params := map[string]any{"space": space, "type": id.Type, "value": id.Value}
	records, err := run(ctx, tx, "lock_profile_members", params)
	if err != nil {
		return in, err
	}
	if len(records) == 0 {
		return in, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	records, err = run(ctx, tx, "find_profile", params)
	if err != nil {
		return in, err
	}
	ps, err := profilesFromRows(records)
	if err != nil || len(ps) == 0 {
		return in, translate(err, "read profile")
	}
	in.Profile = ps[0]
	if in.Edges, err = profileLinks(ctx, tx, in.Profile.ID); err != nil {
		return in, err
	}
	if in.Decisions, err = profileDecisions(ctx, writeTx{tx, run}, in.Profile.ID); err != nil {
		return in, err
	}
	if ev != nil {
		in.Carried, err = eventIdentifiers(ctx, tx, space, *ev)
	}
	return in, err
}

// profileLinks reads the live links between a profile's members.
func profileLinks(ctx context.Context, tx neo4j.ManagedTransaction, profileID string) ([]idgraph.Edge, error) {
	records, err := run(ctx, tx, "find_profile_links", map[string]any{"profile_id": profileID})
	if err != nil {
		return nil, err
	}
	edges := make([]idgraph.Edge, len(records))
	for i, rec := range records {
		if edges[i], err = edgeFromRecord(rec); err != nil {
			return nil, err
		}
	}
	return edges, nil
}

func edgeFromRecord(rec *neo4j.Record) (idgraph.Edge, error) {
	var e idgraph.Edge
	var err error
	if e.A, err = prefixedIdentifier(rec, "a_"); err != nil {
		return e, err
	}
	if e.B, err = prefixedIdentifier(rec, "b_"); err != nil {
		return e, err
	}
	count, err := value[int64](rec, "count")
	if err != nil {
		return e, err
	}
	e.Count = int(count)
	if e.FirstMessageID, err = value[string](rec, "first_message_id"); err != nil {
		return e, err
	}
	if e.LastMessageID, err = value[string](rec, "last_message_id"); err != nil {
		return e, err
	}
	if e.SourceIDs, err = stringList(rec, "source_ids"); err != nil {
		return e, err
	}
	first, err := value[time.Time](rec, "first_seen")
	if err != nil {
		return e, err
	}
	last, err := value[time.Time](rec, "last_seen")
	e.FirstSeen, e.LastSeen = utc(first), utc(last)
	return e, err
}

// eventIdentifiers reads what a stored event carried; ENOTFOUND when no
// such event is stored.
func eventIdentifiers(ctx context.Context, tx neo4j.ManagedTransaction, space string, ev idgraph.EventKey) ([]idgraph.Identifier, error) {
	records, err := run(ctx, tx, "find_event_identifiers", map[string]any{"space": space, "source_id": ev.SourceID, "message_id": ev.MessageID})
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, idgraph.Errorf(idgraph.ENOTFOUND, "event: no event %q from source %q is stored", ev.MessageID, ev.SourceID)
	}
	var ids []idgraph.Identifier
	for _, rec := range records {
		if t, _ := value[string](rec, "type"); t != "" {
			id, err := recordIdentifier(rec)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func sightingRows(ss []idgraph.Sighting) []map[string]any {
	rows := make([]map[string]any, len(ss))
	for i, s := range ss {
		rows[i] = map[string]any{"type": s.Type, "value": s.Value}
	}
	return rows
}
