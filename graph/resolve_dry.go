package graph

import (
	"context"
	"errors"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// RunFunc runs the named query of package cypher in tx with params and
// returns its records. Every statement of the write path goes through one:
// Resolve's runs the query; DryResolve takes the caller's, so that the
// benchmark can profile each statement with the parameters it really gets.
type RunFunc func(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]*neo4j.Record, error)

// writeTx is a transaction of the write path, tx, with the function its
// statements go through (run, a dry run's or a test's RunFunc, timed for
// /metrics when committed). The active rules are read through one in the
// write path and, with run, in ActiveRules' read transaction too.
type writeTx struct {
	tx neo4j.ManagedTransaction
	fn RunFunc
}

func (w writeTx) run(ctx context.Context, name string, params map[string]any) ([]*neo4j.Record, error) {
	return w.fn(ctx, w.tx, name, params)
}

// errDryRun ends a dry run's transaction without committing it.
var errDryRun = errors.New("graph: dry run, rolled back")

// DryResolve does all that Resolve does with a batch, in one write
// transaction, sending every statement through runFn, and then rolls the
// transaction back: nothing is written. It returns what Resolve would have
// counted. When the driver retries the transaction (after a deadlock),
// runFn sees the statements again from the first, in a new tx.
// Errors: as Resolve, and whatever runFn returns.
func (s *Store) DryResolve(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event, runFn RunFunc) (idgraph.BatchResult, error) {
	res, _, err := s.resolve(ctx, space, oneSource(source, events), runFn, false)
	return res, err
}
