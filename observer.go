package idgraph

import "time"

// TransactionObserver receives the time each store transaction took and
// each retry of one, by operation name. graph/ reports to it (graph.DB's
// Observe); api.Metrics implements it, so neither adapter imports the other.
type TransactionObserver interface {
	// ObserveTransaction records one transaction, retries included: op
	// names it ("resolve events"), err is its outcome.
	ObserveTransaction(op string, d time.Duration, err error)
	// ObserveRetry records that op's transaction function ran again, after
	// a transient failure such as a deadlock or a leader switch.
	ObserveRetry(op string)
}
