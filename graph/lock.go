package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The space lock: every write transaction of a space takes it first
// (lock_space.cypher), so that a space's writes are serialised across
// processes too. Inside one process the writer's per-space queue already
// runs them one at a time; across replicas, without it, two transactions
// lock shared identifiers and profiles in different orders and deadlock,
// and the loser waits out a retry. With it the order of locks in a
// transaction is: the space, then identifiers (sorted), then profiles
// (sorted), then the feed (the space's lock again, already held).

// lockSpace takes space's write lock through tx's runner.
func lockSpace(ctx context.Context, tx writeTx, space string) error {
	_, err := tx.run(ctx, "lock_space", map[string]any{"space": space})
	return err
}

// lockSpaceTx takes space's write lock in a transaction that runs its
// statements directly.
func lockSpaceTx(ctx context.Context, tx neo4j.ManagedTransaction, space string) error {
	return lockSpace(ctx, writeTx{tx, run}, space)
}
