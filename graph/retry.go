package graph

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Retry defaults (Config.RetryTime and the pauses between attempts).
const (
	// DefaultRetryTime bounds how long a transaction is retried after
	// transient failures (deadlocks, a cluster changing leader).
	DefaultRetryTime = 5 * time.Second
	// DefaultConnectTimeout bounds one TCP connect to Neo4j.
	DefaultConnectTimeout = 2 * time.Second

	// firstPause is the longest pause before the first retry after a
	// transient failure; each retry doubles it up to maxPause. Short, unlike
	// the driver's one second doubling: with the space lock taken first
	// (lock.go), a deadlock is rare and its loser should not make every
	// request of its batch wait a second.
	firstPause = 5 * time.Millisecond
	maxPause   = 250 * time.Millisecond
	// maxReconnects bounds the immediate retries after a connection that
	// broke under a transaction: the driver then closes the server's idle
	// connections, so the next attempt connects afresh, or finds Neo4j
	// unreachable.
	maxReconnects = 3
)

// next is what to do after a failed attempt.
type next int

const (
	// stop: answer with the error. Neo4j cannot be reached (a refused or
	// timed-out connect, no connection to be had, no routing table, the
	// database not available), the commit's outcome is unknown, or the
	// error is not transient.
	stop next = iota
	// reconnect: a connection broke under the transaction (Neo4j closed
	// it, or it was stale in the pool); try again at once.
	reconnect
	// backOff: a transient failure (a deadlock, a lock timeout, a cluster
	// changing leader); try again after a short jittered pause.
	backOff
)

// retry runs attempt until it succeeds, or until the error says to stop,
// the retry time runs out or ctx ends, and returns its last result. The
// driver itself makes one attempt per call (its own retry budget is zero,
// see New): this loop decides, so that an unreachable Neo4j answers at once
// instead of after the driver's budget, while deadlocks are still retried.
// Each retry is reported to the observer under op.
func retry[T any](ctx context.Context, db *DB, op string, attempt func() (T, error)) (T, error) {
	start := time.Now()
	backOffs, reconnects := 0, 0
	for {
		v, err := attempt()
		if err == nil {
			return v, nil
		}
		err = lastAttemptError(err)
		switch nextAfter(err) {
		case reconnect:
			if reconnects >= maxReconnects || ctx.Err() != nil {
				return v, err
			}
			reconnects++
		case backOff:
			backOffs++
			wait := retryPause(backOffs)
			if time.Since(start)+wait > db.retryTime {
				return v, err
			}
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return v, err
			}
		default:
			return v, err
		}
		if db.observer != nil {
			db.observer.ObserveRetry(op)
		}
	}
}

// retryPause is the pause before the retry after the given number of
// transient failures (1 for the first): drawn between half and all of
// firstPause doubled per failure, at most maxPause, so that two losers do
// not collide again in step.
func retryPause(failed int) time.Duration {
	d := min(firstPause<<min(failed-1, 8), maxPause)
	return d/2 + rand.N(d/2+1)
}

// lastAttemptError unwraps the driver's "retries exhausted" error, which
// with a zero retry budget holds the one attempt's error.
func lastAttemptError(err error) error {
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		return limit.Errors[len(limit.Errors)-1]
	}
	return err
}
