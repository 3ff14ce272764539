package graph_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// BenchmarkSharedCost is the benchmark runner's ingest.shared_cost without
// HTTP: the same generated events (every noise kind) resolved 500 of one
// source at a time into fresh spaces, by turns with the default rules and
// with segment_compatible: true (A B A B, to cancel drift), and the
// default rules' time ÷ segment_compatible's reported as ratio (the rate
// ratio is its inverse). It also reports, noise-free, the statements and
// rows each side ran per batch. SHARED_COST_EVENTS sets the events
// (20,000 by default), SHARED_COST_ROUNDS the rounds (2):
//
//	go test -run '^$' -bench SharedCost -benchtime 1x ./graph/
func BenchmarkSharedCost(b *testing.B) {
	n := envInt(b, "SHARED_COST_EVENTS", 20000)
	rounds := envInt(b, "SHARED_COST_ROUNDS", 2)
	clients := envInt(b, "SHARED_COST_CLIENTS", 1) // more: through ingest.Writer
	size := 500
	if clients > 1 {
		size = 100
	}
	_, events, sources, err := bench.GeneratedEvents(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	batches := bench.SplitCalls(events, sources, size)
	store := graph.NewStore(graphtest.Open(b))
	ctx := context.Background()
	run := func(rules idgraph.Rules, st *statementCount) time.Duration {
		space := idgraph.Space{ID: graphtest.Space(b), Rules: rules}
		start := time.Now()
		if clients > 1 {
			w := ingest.NewWriter(store, ingest.WriterOptions{})
			defer w.Close()
			if err := bench.WriteCalls(ctx, w, space, clients, batches); err != nil {
				b.Fatal(err)
			}
			return time.Since(start)
		}
		for _, bt := range batches {
			if _, err := store.ResolveThrough(ctx, space, bt.Source, bt.Events, st.run); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	// A warm-up round of each, not counted: the first space pays for
	// Neo4j planning the queries.
	run(idgraph.DefaultRules(), &statementCount{})
	run(idgraph.DefaultRules().SegmentCompatible(), &statementCount{})
	var def, seg time.Duration
	defCount, segCount := &statementCount{}, &statementCount{}
	for i := 0; i < b.N*rounds; i++ {
		a := run(idgraph.DefaultRules(), defCount)
		s := run(idgraph.DefaultRules().SegmentCompatible(), segCount)
		b.Logf("round %d: default %s, segment_compatible %s, ratio %.3f", i+1, a.Round(time.Millisecond), s.Round(time.Millisecond), s.Seconds()/a.Seconds())
		def, seg = def+a, seg+s
	}
	b.ReportMetric(seg.Seconds()/def.Seconds(), "ratio")
	per := float64(len(batches) * b.N * rounds)
	b.ReportMetric(float64(defCount.total())/per, "stmts/batch")
	b.ReportMetric(float64(segCount.total())/per, "seg-stmts/batch")
	b.Logf("default: %s per batch, %s in statements: %s", (def / time.Duration(per)).Round(time.Millisecond), defCount.spent(per), defCount.text(per))
	b.Logf("segment_compatible: %s per batch, %s in statements: %s", (seg / time.Duration(per)).Round(time.Millisecond), segCount.spent(per), segCount.text(per))
}

// statementCount counts the statements of the write path by name, and the
// rows each was given.
type statementCount struct {
	mu    sync.Mutex
	stmts map[string]int
	rows  map[string]int
	took  map[string]time.Duration
}

func (c *statementCount) run(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]*neo4j.Record, error) {
	start := time.Now()
	recs, err := graph.RunQuery(ctx, tx, name, params)
	took := time.Since(start)
	c.mu.Lock()
	if c.stmts == nil {
		c.stmts, c.rows, c.took = map[string]int{}, map[string]int{}, map[string]time.Duration{}
	}
	c.took[name] += took
	c.stmts[name]++
	for _, v := range params {
		if rows, ok := v.([]map[string]any); ok {
			c.rows[name] += len(rows)
		}
	}
	c.mu.Unlock()
	return recs, err
}

func (c *statementCount) total() int {
	n := 0
	for _, v := range c.stmts {
		n += v
	}
	return n
}

func (c *statementCount) spent(per float64) time.Duration {
	var d time.Duration
	for _, v := range c.took {
		d += v
	}
	return (d / time.Duration(per)).Round(time.Millisecond)
}

func (c *statementCount) text(per float64) string {
	names := make([]string, 0, len(c.stmts))
	for k := range c.stmts {
		names = append(names, k)
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%s %.2f (%.0f rows, %s)", k, float64(c.stmts[k])/per, float64(c.rows[k])/per, (c.took[k]/time.Duration(per)).Round(time.Millisecond)))
	}
	return strings.Join(parts, ", ")
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s: want a positive number, got %q", name, v)
	}
	return n
}
