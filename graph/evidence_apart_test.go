package graph_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// BenchmarkEvidenceApart measures the first lever of the scale issue (12):
// take the evidence write (the events' payload and their CARRIED links) out
// of the resolution transaction and commit it in a transaction of its own,
// in parallel with the next batch's resolution. idgraph does not do this (an
// event would be committed in two transactions, and a crash between them
// would leave a resolution without its evidence); the benchmark builds the
// split from the store's own transaction to see what it would be worth.
//
// Both sub-benchmarks resolve the same generated events (every noise kind),
// 1,000 of one source per transaction, one transaction after another, as the
// group-commit writer runs them for one space at 16 clients, into a fresh
// space each, after 1,000 untimed events into another space:
//
//   - whole: graph.Store's resolution transaction as it is (write_events
//     stores each new event whole, with its CARRIED links).
//   - apart: the same transaction, but write_events only claims the events
//     (their key, so a replay still finds them); once it commits, a second
//     write transaction sets each claimed event's payload and creates its
//     CARRIED links, sorted by identifier, while the next batch resolves.
//     At most one evidence transaction runs at a time; the clock stops
//     when the last one commits.
//
// The figure is per event. Each also reports the resolution transactions'
// mean time (from the call to its commit, retries included), the apart run
// the evidence transactions' mean time and their retries (deadlocks with
// the resolution they overlap) per batch; and the two runs end by checking
// that their spaces hold the same events and CARRIED links. Run with
// -benchtime Nx, N at most 20,000:
//
//	go test -run '^$' -bench EvidenceApart -benchtime 20000x ./graph/
func BenchmarkEvidenceApart(b *testing.B) {
	_, events, sources, err := bench.GeneratedEvents(20000, 1)
	if err != nil {
		b.Fatal(err)
	}
	db := graphtest.Open(b)
	store := graph.NewStore(db)
	ctx := context.Background()
	// The untimed warm-up plans every statement of both ways.
	warm := idgraph.Space{ID: graphtest.Space(b), Rules: idgraph.DefaultRules()}
	for i, bt := range bench.SplitCalls(events[:1000], sources, 500) {
		var err error
		if i%2 == 0 {
			_, err = store.Resolve(ctx, warm, bt.Source, bt.Events)
		} else {
			var rows []map[string]any
			if rows, err = resolveClaimed(ctx, store, warm, bt); err == nil {
				err = writeEvidence(ctx, db, warm.ID, rows, &atomic.Int64{})
			}
		}
		if err != nil {
			b.Fatal(fmt.Errorf("warm-up: %w", err))
		}
	}
	type stored struct {
		n      int
		counts [2]int64
	}
	runs := map[bool]stored{}
	for _, apart := range []bool{false, true} {
		name := map[bool]string{false: "whole", true: "apart"}[apart]
		b.Run(name, func(b *testing.B) {
			space := idgraph.Space{ID: graphtest.Space(b), Rules: idgraph.DefaultRules()}
			calls := bench.SplitCalls(events[:min(b.N, len(events))], sources, 1000)
			var retries, evidenceTime atomic.Int64
			var resolveTime time.Duration
			b.ResetTimer()
			var pending chan error
			for _, bt := range calls {
				start := time.Now()
				if !apart {
					if _, err := store.Resolve(ctx, space, bt.Source, bt.Events); err != nil {
						b.Fatal(err)
					}
					resolveTime += time.Since(start)
					continue
				}
				rows, err := resolveClaimed(ctx, store, space, bt)
				if err != nil {
					b.Fatal(err)
				}
				resolveTime += time.Since(start)
				if pending != nil {
					if err := <-pending; err != nil {
						b.Fatal(err)
					}
				}
				pending = make(chan error, 1)
				go func(rows []map[string]any, done chan<- error) {
					start := time.Now()
					err := writeEvidence(ctx, db, space.ID, rows, &retries)
					evidenceTime.Add(int64(time.Since(start)))
					done <- err
				}(rows, pending)
			}
			if pending != nil {
				if err := <-pending; err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			batches := float64(len(calls))
			b.ReportMetric(resolveTime.Seconds()*1000/batches, "resolve-ms/batch")
			if apart {
				b.ReportMetric(float64(evidenceTime.Load())/1e6/batches, "evidence-ms/batch")
				b.ReportMetric(float64(retries.Load())/batches, "evidence-retries/batch")
			}
			n, err := evidenceCounts(ctx, db, space.ID)
			if err != nil {
				b.Fatal(err)
			}
			runs[apart] = stored{b.N, n}
		})
	}
	if whole, apart := runs[false], runs[true]; whole.n == apart.n && whole.counts != apart.counts {
		b.Fatalf("%d events: whole stored %d events with a timestamp and %d CARRIED links, apart %d and %d",
			whole.n, whole.counts[0], whole.counts[1], apart.counts[0], apart.counts[1])
	}
}

// resolveClaimed resolves one call through the store's own transaction,
// but with write_events only creating each new event's key node (so a
// replay still finds it), and returns write_events' rows for the evidence
// transaction: the last attempt's, when the driver ran the transaction
// again.
func resolveClaimed(ctx context.Context, store *graph.Store, space idgraph.Space, bt bench.Call) ([]map[string]any, error) {
	var rows []map[string]any
	claim := func(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]*neo4j.Record, error) {
		if name != "write_events" {
			return graph.RunQuery(ctx, tx, name, params)
		}
		rows = params["events"].([]map[string]any)
		res, err := tx.Run(ctx, `UNWIND $events AS row
CREATE (:Event {space: $space, source_id: row.source_id, message_id: row.message_id})`, params)
		if err != nil {
			return nil, err
		}
		_, err = res.Consume(ctx)
		return nil, err
	}
	_, err := store.ResolveThrough(ctx, space, bt.Source, bt.Events, claim)
	return rows, err
}

// writeEvidence sets the claimed events' payload and creates their CARRIED
// links, in identifier order (the order the resolution transactions lock
// identifiers in), in one write transaction; each rerun counts in retries.
func writeEvidence(ctx context.Context, db *graph.DB, space string, rows []map[string]any, retries *atomic.Int64) error {
	if len(rows) == 0 {
		return nil
	}
	var links []map[string]any
	for _, r := range rows {
		for _, c := range r["carried"].([]map[string]any) {
			links = append(links, map[string]any{"source_id": r["source_id"], "message_id": r["message_id"], "type": c["type"], "value": c["value"]})
		}
	}
	slices.SortFunc(links, func(a, b map[string]any) int {
		return cmp.Or(cmp.Compare(a["type"].(string), b["type"].(string)), cmp.Compare(a["value"].(string), b["value"].(string)))
	})
	attempts := 0
	_, err := graph.Write(ctx, db, "write evidence", func(tx neo4j.ManagedTransaction) (any, error) {
		if attempts++; attempts > 1 {
			retries.Add(1)
		}
		res, err := tx.Run(ctx, `UNWIND $events AS row
MATCH (e:Event {space: $space, source_id: row.source_id, message_id: row.message_id})
SET e += row.props, e.identifiers = row.identifiers, e.rejected = row.rejected`, map[string]any{"space": space, "events": rows})
		if err != nil {
			return nil, err
		}
		if _, err := res.Consume(ctx); err != nil {
			return nil, err
		}
		res, err = tx.Run(ctx, `UNWIND $links AS l
MATCH (e:Event {space: $space, source_id: l.source_id, message_id: l.message_id})
MATCH (i:Identifier {space: $space, type: l.type, value: l.value})
CREATE (e)-[:CARRIED {space: $space, type: l.type, value: l.value, timestamp: e.timestamp}]->(i)`, map[string]any{"space": space, "links": links})
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	})
	return err
}

// evidenceCounts counts a space's events with a timestamp and its CARRIED
// links.
func evidenceCounts(ctx context.Context, db *graph.DB, space string) ([2]int64, error) {
	return graph.Read(ctx, db, "count evidence", func(tx neo4j.ManagedTransaction) ([2]int64, error) {
		res, err := tx.Run(ctx, `MATCH (e:Event {space: $space}) WHERE e.timestamp IS NOT NULL
WITH count(e) AS events
OPTIONAL MATCH ()-[c:CARRIED]->() WHERE c.space = $space
RETURN events, count(c) AS carried`, map[string]any{"space": space})
		if err != nil {
			return [2]int64{}, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return [2]int64{}, err
		}
		events, _ := rec.Get("events")
		carried, _ := rec.Get("carried")
		return [2]int64{events.(int64), carried.(int64)}, nil
	})
}
