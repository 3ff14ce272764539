package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// ResolveAsBefore resolves events as versions before the accounts
// collection did: groupId is a group_id user identifier, joining whoever
// sends it, and no account is made. Tests build with it the graphs those
// versions left, for MigrateAccounts to correct.
func (s *Store) ResolveAsBefore(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) error {
	carried := make([][]idgraph.Identifier, len(events))
	for i, e := range events {
		carried[i], _ = space.Rules.Extract(e)
		if id, ok := space.Rules.AccountID(e); ok {
			carried[i] = append(carried[i], idgraph.Identifier{Type: idgraph.TypeGroupID, Value: id})
		}
	}
	space.Rules = space.Rules.SegmentCompatible() // older versions had no shared identifiers
	_, err := Write(ctx, s.db, "resolve as before", func(tx neo4j.ManagedTransaction) (idgraph.BatchResult, error) {
		res, err := resolveTx(ctx, writeTx{tx, run}, space, source, events, carried)
		if err == nil {
			_, err = tx.Run(ctx, `MATCH (a:Account {space: $space}) DETACH DELETE a`, map[string]any{"space": space.ID})
		}
		return res, err
	})
	return err
}

// ResolveThrough is Resolve with every statement sent through runFn and
// committed: tests fail a statement to make the driver run the
// transaction again.
func (s *Store) ResolveThrough(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event, runFn RunFunc) (idgraph.BatchResult, error) {
	return s.resolve(ctx, space, source, events, runFn, true)
}
