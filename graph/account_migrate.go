package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// migrateBatch is how many group_id identifiers MigrateAccounts lists at once.
const migrateBatch = 100

// MigrateAccounts moves the group_id identifiers that older versions made of
// groupId out of a space's user profiles and into the accounts collection,
// acting for actor, one identifier per write transaction taking the write
// path's locks (so it runs beside live traffic): the identifier is removed
// as Remove does (its links cut as evidence, the parts it alone held
// together becoming profiles of their own, an identifier_removed correction
// recorded) and then deleted; its account is made, or completed, from the
// events that named it, and linked to the profiles now holding their user
// identifiers. With dryRun each transaction is rolled back: every answer
// says what the migration would do to the graph as it is. report, when not
// nil, hears of each identifier as it is done. It answers how many were
// migrated. Errors: the store's, and ECONFLICT when an always decision
// holds a group_id to a user identifier (remove the decision first).
func (s *Store) MigrateAccounts(ctx context.Context, space idgraph.Space, actor string, dryRun bool, report func(idgraph.AccountMigration)) (int, error) {
	n, after := 0, ""
	for {
		res, err := s.db.ReadQuery(ctx, "list group identifiers", cypher.Query("list_group_identifiers"),
			map[string]any{"space": space.ID, "after": after, "limit": migrateBatch})
		if err != nil {
			return n, err
		}
		if len(res.Records) == 0 {
			return n, nil
		}
		for _, rec := range res.Records {
			if after, err = value[string](rec, "value"); err != nil {
				return n, err
			}
			at := time.Now().UTC().Truncate(time.Millisecond)
			m, err := correct(ctx, s.db, space.ID, "migrate account", dryRun, func(tx neo4j.ManagedTransaction) (idgraph.AccountMigration, error) {
				return migrateGroupID(ctx, tx, space, after, actor, at)
			})
			if err != nil {
				return n, err
			}
			if dryRun && m.Removal != nil {
				m.Removal.CorrectionID = ""
			}
			n++
			if report != nil {
				report(m)
			}
		}
	}
}

// migrateGroupID moves one group_id identifier to the accounts collection.
func migrateGroupID(ctx context.Context, tx neo4j.ManagedTransaction, space idgraph.Space, value, actor string, at time.Time) (idgraph.AccountMigration, error) {
	m := idgraph.AccountMigration{AccountID: value, Linked: []string{}}
	gid := idgraph.Identifier{Type: idgraph.TypeGroupID, Value: value}
	in, err := readSplitInput(ctx, tx, space.ID, gid, nil)
	switch {
	case idgraph.ErrorCode(err) == idgraph.ENOTFOUND:
	case err != nil:
		return m, err
	default:
		m.ProfileID = in.Profile.ID
		if len(in.Profile.Identifiers) > 1 {
			reason := fmt.Sprintf("group_id is no user identifier: %s moves to the accounts collection (idgraph migrate-accounts)", gid)
			plan, err := idgraph.PlanRemoval(in, gid, reason, space.Rules, actor, at, idgraph.NewProfileID)
			if err != nil {
				return m, err
			}
			if err := applySplit(ctx, tx, space.ID, &plan, idgraph.HistoryIdentifierRemoved); err != nil {
				return m, err
			}
			m.Removal = &plan
		}
	}
	events, err := accountEvents(ctx, tx, space.ID, value)
	if err != nil {
		return m, err
	}
	if _, err := run(ctx, tx, "delete_group_identifier", map[string]any{"space": space.ID, "value": value}); err != nil {
		return m, err
	}
	ch := idgraph.RebuildAccount(value, events)
	for _, l := range ch.Links {
		m.Linked = append(m.Linked, l.ProfileID)
	}
	return m, writeAccounts(ctx, writeTx{tx, run}, space.ID, ch)
}

// accountEvents reads the events that named an account, oldest first, with
// the profiles of the user identifiers each carried.
func accountEvents(ctx context.Context, tx neo4j.ManagedTransaction, space, id string) ([]idgraph.AccountEvent, error) {
	records, err := run(ctx, tx, "find_account_events", map[string]any{"space": space, "id": id})
	if err != nil {
		return nil, err
	}
	out := make([]idgraph.AccountEvent, len(records))
	for i, rec := range records {
		e, err := identifyEvent(rec)
		if err != nil {
			return nil, err
		}
		if e.Type, err = value[string](rec, "type"); err != nil {
			return nil, err
		}
		pids, err := stringList(rec, "profile_ids")
		if err != nil {
			return nil, err
		}
		out[i] = idgraph.AccountEvent{StoredEvent: e, ProfileIDs: pids}
	}
	return out, nil
}
