package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// promptly bounds an answer that must not wait for Neo4j: the driver's own
// retry budget, which an unreachable server used to spend, was 15 s.
const promptly = 3 * time.Second

// queries are the ways graph runs a transaction, each on a statement that
// needs no data.
var queries = []struct {
	name string
	run  func(context.Context, *graph.DB) error
}{
	{"Read", func(ctx context.Context, db *graph.DB) error {
		_, err := graph.Read(ctx, db, "read one", returnOne(ctx))
		return err
	}},
	{"Write", func(ctx context.Context, db *graph.DB) error {
		_, err := graph.Write(ctx, db, "write one", returnOne(ctx))
		return err
	}},
	{"Query", func(ctx context.Context, db *graph.DB) error {
		_, err := db.Query(ctx, "query one", "RETURN 1 AS one", nil)
		return err
	}},
	{"ReadQuery", func(ctx context.Context, db *graph.DB) error {
		_, err := db.ReadQuery(ctx, "read query one", "RETURN 1 AS one", nil)
		return err
	}},
}

func returnOne(ctx context.Context) neo4j.ManagedTransactionWorkT[int64] {
	return func(tx neo4j.ManagedTransaction) (int64, error) {
		res, err := tx.Run(ctx, "RETURN 1 AS one", nil)
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		one, _, err := neo4j.GetRecordValue[int64](rec, "one")
		return one, err
	}
}

// TestUnreachableNeo4jFailsAtOnce: with nothing listening on Neo4j's port,
// every kind of transaction answers EUNAVAILABLE at once instead of
// retrying until a budget runs out, so an HTTP client hears 503 before its
// own timeout.
func TestUnreachableNeo4jFailsAtOnce(t *testing.T) {
	db, err := graph.New(graph.Config{URI: "bolt://" + closedPort(t), Username: "neo4j", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			start := time.Now()
			err := q.run(context.Background(), db)
			took := time.Since(start)
			if got := idgraph.ErrorCode(err); got != idgraph.EUNAVAILABLE {
				t.Errorf("code %q (error: %v), want %q", got, err, idgraph.EUNAVAILABLE)
			}
			if took > promptly {
				t.Errorf("answered after %s, want within %s", took, promptly)
			}
		})
	}
}

// TestNeo4jCutOffFailsAtOnceAndRecovers cuts a working connection: every
// kind of transaction then fails at once with EUNAVAILABLE, and once Neo4j
// is back it succeeds at once, although the pool still held connections
// from before the cut (a broken connection is retried on a new one).
func TestNeo4jCutOffFailsAtOnceAndRecovers(t *testing.T) {
	proxy := graphtest.NewProxy(t)
	db, err := graph.New(proxy.Config())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	ctx := context.Background()
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			if err := q.run(ctx, db); err != nil {
				t.Fatalf("before the cut: %v", err)
			}
			proxy.Down()
			start := time.Now()
			err := q.run(ctx, db)
			took := time.Since(start)
			if got := idgraph.ErrorCode(err); got != idgraph.EUNAVAILABLE {
				t.Errorf("cut off: code %q (error: %v), want %q", got, err, idgraph.EUNAVAILABLE)
			}
			if took > promptly {
				t.Errorf("cut off: answered after %s, want within %s", took, promptly)
			}
			proxy.Up()
			if err := q.run(ctx, db); err != nil {
				t.Fatalf("Neo4j back: %v", err)
			}
			// Cut and restore with the pool's connection idle in between:
			// the first attempt meets it broken, the retry connects anew.
			proxy.Down()
			proxy.Up()
			if err := q.run(ctx, db); err != nil {
				t.Errorf("Neo4j back, a stale connection in the pool: %v", err)
			}
		})
	}
}
