package graph

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Retrying write transactions ourselves. The driver's transaction functions
// wait a second before their first retry and double the wait each time
// (neo4j-go-driver v5's throttle is not configurable): a deadlock between
// two replicas cost the loser, and every request in its batch, a second or
// more. Write transactions are explicit transactions retried here instead,
// after a short jittered pause.

const (
	// retryFirst is the longest pause before the first retry; each retry
	// doubles it up to retryMost. The pause is drawn between half of it
	// and all of it, so that two losers do not collide again in step.
	retryFirst = 5 * time.Millisecond
	retryMost  = 250 * time.Millisecond
	// retryFor bounds the time spent retrying one transaction, as the
	// driver's MaxTransactionRetryTime did.
	retryFor = 15 * time.Second
)

// retryPause is the pause before the retry after the given number of
// failed attempts (1 for the first retry).
func retryPause(failed int) time.Duration {
	d := retryFirst << min(failed-1, 8)
	d = min(d, retryMost)
	return d/2 + rand.N(d/2+1)
}

// writeRetrying runs work in an explicit write transaction on session and
// commits it, again after a pause when it fails with an error the driver
// calls retryable (a deadlock, another transient error, a lost connection)
// until retryFor has passed.
func writeRetrying[T any](ctx context.Context, session neo4j.SessionWithContext, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	start := time.Now()
	for failed := 0; ; failed++ {
		v, err := writeOnce(ctx, session, work)
		if err == nil || !neo4j.IsRetryable(err) || time.Since(start) > retryFor {
			return v, err
		}
		select {
		case <-time.After(retryPause(failed + 1)):
		case <-ctx.Done():
			return v, err
		}
	}
}

// writeOnce runs work in one explicit write transaction and commits it, or
// rolls it back when work fails.
func writeOnce[T any](ctx context.Context, session neo4j.SessionWithContext, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	var zero T
	tx, err := session.BeginTransaction(ctx)
	if err != nil {
		return zero, err
	}
	v, err := work(tx)
	if err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return zero, err
	}
	if err := tx.Commit(ctx); err != nil {
		return zero, err
	}
	return v, nil
}
