package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
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
		b := newBatch([]idgraph.SourceEvents{{Source: source, Events: events}})
		res, _, err := resolveTx(ctx, writeTx{tx, run}, space, b, carried)
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
	res, _, err := s.resolve(ctx, space, oneSource(source, events), runFn, true)
	return res, err
}

// PageHits runs the query behind Events (Metadata when metadata) under
// Neo4j's PROFILE and returns its database hits: tests hold the cost of a
// page of a profile's events flat as its history grows, without timing it.
func (s *Store) PageHits(ctx context.Context, space string, id idgraph.Identifier, q idgraph.EventQuery, metadata bool) (int64, error) {
	query, params := eventsQuery(space, id, q)
	if metadata {
		query, params = "find_metadata", map[string]any{"space": space, "type": id.Type, "value": id.Value}
	}
	return Read(ctx, s.db, "profile page", func(tx neo4j.ManagedTransaction) (int64, error) {
		res, err := tx.Run(ctx, "PROFILE "+cypher.Query(query), params)
		if err != nil {
			return 0, err
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			return 0, err
		}
		return dbHits(sum.Profile()), nil
	})
}

func dbHits(p neo4j.ProfiledPlan) int64 {
	if p == nil {
		return 0
	}
	n := p.DbHits()
	for _, c := range p.Children() {
		n += dbHits(c)
	}
	return n
}

// RecordRulesVersion records v as the space's next rules version, as a
// promotion's last step does.
func (s *Store) RecordRulesVersion(ctx context.Context, space string, v idgraph.RulesVersion) error {
	_, err := Write(ctx, s.db, "record rules version", func(tx neo4j.ManagedTransaction) (struct{}, error) {
		_, err := createRulesVersion(ctx, tx, space, v)
		return struct{}{}, err
	})
	return err
}

// HotReadNames names the queries Plan runs, in its order.
func HotReadNames() []string {
	var names []string
	for _, r := range hotReads() {
		names = append(names, r.query)
	}
	return names
}

// RunQuery is the RunFunc Resolve sends its statements through.
func RunQuery(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]*neo4j.Record, error) {
	return run(ctx, tx, name, params)
}
