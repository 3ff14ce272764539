// Package ingest takes events into the store: Writer, the group commit that
// the HTTP API hands each request's events to (writer.go, queue.go,
// commit.go), and Load, which streams NDJSON events from a reader in
// batches (load.go; idgraph load gives it a file). Both call the store's
// Resolve; neither knows HTTP or Neo4j.
package ingest
