// Package idgraph is the domain of the idgraph identity resolution service:
// Segment-format events, the identifiers they carry, the identity rules that
// keep profiles right, the pure resolution decision, and the interfaces that
// the adapters (graph/ on Neo4j, api/ over HTTP) implement or consume.
//
// It imports no database driver and no web framework.
package idgraph
