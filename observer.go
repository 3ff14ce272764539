package idgraph

import "time"

// TransactionObserver receives the time each store transaction took and
// each retry of one, by operation name, and where a write transaction's
// time went: its statements and its commit. graph/ reports to it
// (graph.DB's Observe); api.Metrics implements it, so neither adapter
// imports the other.
type TransactionObserver interface {
	// ObserveTransaction records one transaction, retries included: op
	// names it ("resolve events"), err is its outcome.
	ObserveTransaction(op string, d time.Duration, err error)
	// ObserveRetry records that op's transaction function ran again, after
	// a transient failure such as a deadlock or a leader switch.
	ObserveRetry(op string)
	// ObserveStatement records one statement of op's transaction, from
	// sending it to reading its last record: query names it (a file of
	// cypher/, without .cypher). Only the statements of the ingest write
	// path ("resolve events") are reported.
	ObserveStatement(op, query string, d time.Duration)
	// ObserveCommit records the commit of op's write transaction: from the
	// transaction function's return to the server's acknowledgement.
	ObserveCommit(op string, d time.Duration)
}
