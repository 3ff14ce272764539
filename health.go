package idgraph

import "context"

// Checker reports whether the service can do its work: graph/ implements it
// on Neo4j, api/ serves it as GET /readyz.
type Checker interface {
	// Ready returns nil when the store answers and its schema is fully
	// applied. Otherwise it returns an EUNAVAILABLE error whose message says
	// why, for example "neo4j unreachable" or
	// "schema not applied: missing 003_event_key".
	Ready(ctx context.Context) error
}
