package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// PlanTimeout bounds how long start-up waits for Plan: past it, the
// process serves all the same, and the queries Plan did not reach are
// planned by their first requests.
const PlanTimeout = 10 * time.Second

// planSpace names no space (a space's id is never empty), so the hot reads
// run by Plan find nothing and cost Neo4j an index seek or two each.
const planSpace = ""

// hotRead is one read query that the API runs on its frequent routes, with
// parameters of the types the store passes it: Neo4j caches a plan by the
// query's text and its parameters' types, so only those types warm the
// entry the requests will use.
type hotRead struct {
	query  string
	params map[string]any
}

// hotReads returns the read queries behind lookups, explanations, event
// pages and metadata, each with parameters as the store builds them.
func hotReads() []hotRead {
	id := idgraph.Identifier{Type: "user_id", Value: ""}
	reads := []hotRead{
		{"find_profile", map[string]any{"space": planSpace, "type": id.Type, "value": id.Value}},
		{"find_profile_by_id", map[string]any{"space": planSpace, "id": ""}},
		{"find_metadata", map[string]any{"space": planSpace, "type": id.Type, "value": id.Value}},
		{"find_explanation", explainParams(planSpace, id, id)},
	}
	for _, q := range []idgraph.EventQuery{{Limit: 50}, {Limit: 50, Oldest: true}} {
		query, params := eventsQuery(planSpace, id, q)
		reads = append(reads, hotRead{query, params})
	}
	return reads
}

// Plan runs the hot read queries (lookups, explanations, event pages,
// metadata) once each against a space that holds nothing, so that Neo4j
// plans and compiles them now and the first requests after start-up do not
// wait for its planner (hundreds of milliseconds a query on a busy server).
// It runs them rather than EXPLAIN them: EXPLAIN leaves part of the
// compilation to the first run (measured, a first run after EXPLAIN took
// 180 to 700 ms, a warm one 18 ms). Neo4j keeps the plans in its query
// cache, which every idgraph process on the database shares; once they are
// there, Plan costs a few milliseconds. It returns how many queries it ran;
// on error it stops there. Nothing depends on Plan having run: a query it
// did not reach is planned by its first request, as without it.
// Errors: EUNAVAILABLE when Neo4j cannot be reached or does not answer by
// ctx's deadline, else EINTERNAL; the message names the query.
func (s *Store) Plan(ctx context.Context) (int, error) {
	planned := 0
	for _, r := range hotReads() {
		_, err := Read(ctx, s.db, "plan "+r.query, func(tx neo4j.ManagedTransaction) (struct{}, error) {
			_, err := run(ctx, tx, r.query, r.params)
			return struct{}{}, err
		})
		if err != nil {
			return planned, err // Read names "plan <query>"
		}
		planned++
	}
	return planned, nil
}
