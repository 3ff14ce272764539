package graph

import (
	"context"
	"errors"
	"slices"
	"sort"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Resolve applies a batch of events in one write transaction (DESIGN.md
// section 8): find the events stored already (replays drop out), drop suppressed values,
// touch and lock the identifiers in sorted order, lock and read their
// profiles in sorted order with the never decisions naming their members,
// decide in Go, and write each kind of change with
// one UNWIND statement, the accounts the events name (their groupId) last.
// The transaction function recomputes everything from
// what it reads, so the driver may run it again after a deadlock.
func (s *Store) Resolve(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	res, _, err := s.resolve(ctx, space, oneSource(source, events), run, true)
	return res, err
}

// ResolveLocked is Resolve with the batch chosen once the space's lock is
// held (idgraph.LockedResolutionService): batch is called inside the
// transaction, after lock_space, the first time the transaction runs. The
// batch may hold several sources' events.
func (s *Store) ResolveLocked(ctx context.Context, space idgraph.Space, batch func() []idgraph.SourceEvents) (idgraph.BatchResult, map[string]int, error) {
	return s.resolve(ctx, space, batch, run, true)
}

// resolveOp names the ingest write transaction to the observer.
const resolveOp = "resolve events"

// oneSource is a batch of one source's events, for resolve.
func oneSource(source idgraph.Source, events []idgraph.Event) func() []idgraph.SourceEvents {
	return func() []idgraph.SourceEvents { return []idgraph.SourceEvents{{Source: source, Events: events}} }
}

// resolve writes the batch that batch returns, called once the space's lock
// is held, the first time the transaction runs, with every statement sent
// through runFn, committed or, for DryResolve, rolled back. It returns the
// counts and the events loaded by source.
func (s *Store) resolve(ctx context.Context, space idgraph.Space, batch func() []idgraph.SourceEvents, runFn RunFunc, commit bool) (idgraph.BatchResult, map[string]int, error) {
	if commit {
		runFn = s.db.timed(resolveOp, runFn)
	}
	var (
		b      *sourcedBatch
		loaded map[string]int
		dry    idgraph.BatchResult
	)
	res, err := Write(ctx, s.db, resolveOp, func(tx neo4j.ManagedTransaction) (idgraph.BatchResult, error) {
		wtx := writeTx{tx, runFn}
		space, err := s.lockActive(ctx, wtx, space)
		if err != nil {
			return idgraph.BatchResult{}, err
		}
		if b == nil {
			b = newBatch(batch())
		}
		if len(b.events) == 0 {
			return idgraph.BatchResult{}, nil
		}
		res, fresh, err := resolveTx(ctx, wtx, space, b, extractAll(space, b.events))
		loaded = map[string]int{}
		for _, i := range fresh {
			loaded[b.sources[i]]++
		}
		if err == nil && !commit {
			dry, err = res, errDryRun
		}
		return res, err
	})
	if errors.Is(err, errDryRun) {
		res, err = dry, nil
	} else if commit {
		s.committed(space.ID, err)
	}
	if err != nil {
		return res, nil, err
	}
	if b != nil {
		res.Duplicates += b.dups
	}
	return res, loaded, nil
}

// lockActive takes the space's lock, then reads its active rules in the
// same transaction and returns the space under them: a version another
// replica promoted is used from its commit on, and a promotion, whose
// transactions take the lock too, is never seen half done.
func (s *Store) lockActive(ctx context.Context, tx writeTx, space idgraph.Space) (idgraph.Space, error) {
	if err := lockSpace(ctx, tx, space.ID); err != nil {
		return space, err
	}
	active, err := s.activeRules(ctx, tx, space)
	if err != nil {
		return space, err
	}
	return space.WithRules(active), nil
}

// extractAll extracts the identifiers each event carries.
func extractAll(space idgraph.Space, events []idgraph.Event) [][]idgraph.Identifier {
	carried := make([][]idgraph.Identifier, len(events))
	for i, e := range events {
		carried[i], _ = space.Rules.Extract(e)
	}
	return carried
}

// sourcedBatch is a batch's events, each with its source's id, the later
// repeats of an event (same source and message id) dropped and counted.
type sourcedBatch struct {
	events  []idgraph.Event
	sources []string // sources[i] is events[i]'s source id
	dups    int
}

// newBatch flattens groups into one batch, in order.
func newBatch(groups []idgraph.SourceEvents) *sourcedBatch {
	b := &sourcedBatch{}
	seen := map[eventKey]bool{}
	for _, g := range groups {
		for _, e := range g.Events {
			k := eventKey{g.Source.ID, e.MessageID}
			if seen[k] {
				b.dups++
				continue
			}
			seen[k] = true
			b.events = append(b.events, e)
			b.sources = append(b.sources, g.Source.ID)
		}
	}
	return b
}

// eventKey is an event's key within its space: source and message id.
type eventKey struct{ source, messageID string }

// resolveTx writes a batch in tx, which holds the space's lock already: its
// callers take it first, before every other lock (lock.go). carried[i] are
// the identifiers b's event i carries. It returns the counts and the
// indexes of the events it stored (the others were stored before).
func resolveTx(ctx context.Context, tx writeTx, space idgraph.Space, b *sourcedBatch, carried [][]idgraph.Identifier) (idgraph.BatchResult, []int, error) {
	var res idgraph.BatchResult
	events, sources := b.events, b.sources
	stored, err := storedEvents(ctx, tx, space.ID, events, sources)
	if err != nil {
		return res, nil, err
	}
	var fresh []int
	for i, e := range events {
		if !stored[eventKey{sources[i], e.MessageID}] {
			fresh = append(fresh, i)
		}
	}
	res.Loaded, res.Duplicates = len(fresh), len(events)-len(fresh)
	if len(fresh) == 0 {
		return res, nil, nil
	}

	suppressed, err := findSuppressed(ctx, tx, space.ID, fresh, carried)
	if err != nil {
		return res, nil, err
	}
	ids := make([][]idgraph.Identifier, len(events))
	for _, i := range fresh {
		ids[i] = slices.DeleteFunc(slices.Clone(carried[i]), func(id idgraph.Identifier) bool { return suppressed[id] })
	}

	profiles, out, rehomed, err := resolvePasses(ctx, tx, space, b, fresh, ids)
	if err != nil {
		return res, nil, err
	}
	out.Changes = append(rehomed, out.Changes...)
	if err := writeResolution(ctx, tx, space.ID, out); err != nil {
		return res, nil, err
	}
	if err := writeAccounts(ctx, tx, space.ID, space.Rules.AccountChanges(out)); err != nil {
		return res, nil, err
	}
	// Last: the feed, whose node is the space's lock, already held.
	if err := appendChanges(ctx, tx, space.ID, out.Changes); err != nil {
		return res, nil, err
	}
	res.Merges, res.Rejections = len(out.Merges), len(out.Rejections)
	for _, p := range out.Profiles {
		if p.MergedInto == "" && !slices.ContainsFunc(profiles, func(q idgraph.Profile) bool { return q.ID == p.ID }) {
			res.Profiles++
		}
	}
	return res, fresh, nil
}

// storedEvents returns the keys of the batch's events stored already
// (replays); the others are new, and write_events stores them at the end of
// the transaction, whose space lock keeps any other from storing them
// meanwhile.
func storedEvents(ctx context.Context, tx writeTx, space string, events []idgraph.Event, sources []string) (map[eventKey]bool, error) {
	rows := make([]map[string]any, len(events))
	for i, e := range events {
		rows[i] = map[string]any{"source_id": sources[i], "message_id": e.MessageID}
	}
	records, err := tx.run(ctx, "find_events", map[string]any{"space": space, "events": rows})
	if err != nil {
		return nil, err
	}
	stored := make(map[eventKey]bool, len(records))
	for _, rec := range records {
		var k eventKey
		if k.source, err = value[string](rec, "source_id"); err != nil {
			return nil, err
		}
		if k.messageID, err = value[string](rec, "message_id"); err != nil {
			return nil, err
		}
		stored[k] = true
	}
	return stored, nil
}

func findSuppressed(ctx context.Context, tx writeTx, space string, fresh []int, carried [][]idgraph.Identifier) (map[idgraph.Identifier]bool, error) {
	seen := map[idgraph.Identifier]bool{}
	var rows []map[string]any
	for _, i := range fresh {
		for _, id := range carried[i] {
			if !seen[id] {
				seen[id] = true
				rows = append(rows, map[string]any{"type": id.Type, "value": id.Value})
			}
		}
	}
	records, err := tx.run(ctx, "find_suppressed", map[string]any{"space": space, "identifiers": rows})
	if err != nil {
		return nil, err
	}
	return identifierSet(records)
}

// touchIdentifiers MERGEs every identifier of the fresh events in sorted
// order, taking their write locks, and returns each one's profile id and,
// for the resolver, whether it is shared and its company.
func touchIdentifiers(ctx context.Context, tx writeTx, space string, b *sourcedBatch, fresh []int, ids [][]idgraph.Identifier) (map[idgraph.Identifier]string, map[idgraph.Identifier]idgraph.IdentifierState, error) {
	sightings := idgraph.Sightings{}
	for _, i := range fresh {
		for _, id := range ids[i] {
			sightings.Add(id, b.events[i].Timestamp, b.sources[i], b.events[i].MessageID)
		}
	}
	sorted := sightings.Sorted()
	rows := make([]map[string]any, len(sorted))
	for i, s := range sorted {
		rows[i] = map[string]any{
			"type": s.Type, "value": s.Value, "device": s.IsDevice(),
			"first_seen": s.FirstSeen, "last_seen": s.LastSeen,
			"first_source_id": s.FirstSourceID, "first_message_id": s.FirstMessageID,
		}
	}
	records, err := tx.run(ctx, "merge_identifiers", map[string]any{"space": space, "identifiers": rows})
	if err != nil {
		return nil, nil, err
	}
	owners := make(map[idgraph.Identifier]string, len(records))
	states := map[idgraph.Identifier]idgraph.IdentifierState{}
	for _, rec := range records {
		id, err := recordIdentifier(rec)
		if err != nil {
			return nil, nil, err
		}
		pid, _, err := neo4j.GetRecordValue[string](rec, "profile_id")
		if err != nil {
			return nil, nil, err
		}
		owners[id] = pid
		st, err := identifierState(rec)
		if err != nil {
			return nil, nil, err
		}
		if st.Shared || len(st.Company) > 0 {
			states[id] = st
		}
	}
	return owners, states, nil
}

// lockProfiles locks the profiles holding the batch's identifiers, in sorted
// order, and reads what the rules need of them.
func lockProfiles(ctx context.Context, tx writeTx, owners map[idgraph.Identifier]string) ([]idgraph.Profile, error) {
	var pids []string
	for _, pid := range owners {
		if pid != "" {
			pids = append(pids, pid)
		}
	}
	sort.Strings(pids)
	pids = slices.Compact(pids)
	if len(pids) == 0 {
		return nil, nil
	}
	records, err := tx.run(ctx, "lock_profiles", map[string]any{"ids": pids})
	if err != nil {
		return nil, err
	}
	return profilesFromRows(records)
}
