package bench_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// Go benchmarks of the write path's hot spots, on generated events. make
// bench-go runs them and writes their table into BENCHMARKS.md (see the
// Makefile for the flags); by hand:
//
//	go test -run '^$' -bench . -benchmem ./internal/bench/
//	go test -run '^$' -bench StoreResolve -cpuprofile cpu.out ./internal/bench/ && go tool pprof -top cpu.out
//
// BenchmarkStoreResolve, BenchmarkWriterConcurrent and BenchmarkStoreProfile
// need Neo4j (graphtest); the others are pure. Name a new one in
// goBenchmarks (gobench.go) to give its row a description.

// workload returns n generated event lines with their parsed events.
func workload(b *testing.B, n int) ([][]byte, []idgraph.Event, []string) {
	b.Helper()
	lines, events, sources, err := bench.GeneratedEvents(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	return lines, events, sources
}

func BenchmarkParseEvent(b *testing.B) {
	lines, _, _ := workload(b, 5000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := idgraph.ParseEvent(lines[i%len(lines)], bench.DefaultStart); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseBatch parses POST /v1/batch bodies of 100 events; the
// figure is per event.
func BenchmarkParseBatch(b *testing.B) {
	lines, _, _ := workload(b, 5000)
	var bodies [][]byte
	for i := 0; i+100 <= len(lines); i += 100 {
		body := []byte(`{"batch":[`)
		body = append(body, bytes.Join(lines[i:i+100], []byte(","))...)
		bodies = append(bodies, append(body, "]}"...))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += 100 {
		if _, _, err := idgraph.ParseBatch(bodies[(i/100)%len(bodies)], bench.DefaultStart); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtract(b *testing.B) {
	_, events, _ := workload(b, 5000)
	rules := idgraph.DefaultRules()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rules.Extract(events[i%len(events)])
	}
}

// BenchmarkResolverApply resolves events 500 at a time, a fresh resolver per
// batch as graph/ makes one per transaction, and takes each batch's Result;
// the figure is per event.
func BenchmarkResolverApply(b *testing.B) {
	_, events, sources := workload(b, 5000)
	rules := idgraph.DefaultRules()
	ids := make([][]idgraph.Identifier, len(events))
	for i, e := range events {
		ids[i], _ = rules.Extract(e)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var r *idgraph.Resolver
	for i := 0; i < b.N; i++ {
		if i%500 == 0 {
			if r != nil {
				r.Result()
			}
			r = idgraph.NewResolver(rules, nil, nil)
		}
		j := i % len(events)
		r.Apply(events[j], sources[j], ids[j])
	}
	r.Result()
}

// BenchmarkStoreResolve writes the workload through graph.Store.Resolve,
// 500 events of one source per transaction, into a space of its own (the
// write path of POST /v1/batch and idgraph load, without HTTP); the figure
// is per event. Run with -benchtime Nx, N at most 20,000.
func BenchmarkStoreResolve(b *testing.B) {
	_, events, sources := workload(b, 20000)
	store := graph.NewStore(graphtest.Open(b))
	warmWrites(b, store, events, sources)
	space := benchSpace(b)
	// Batches of up to 500 events of one source, in file order.
	batches := bench.SplitCalls(events[:min(b.N, len(events))], sources, 500)
	ctx := context.Background()
	b.ResetTimer()
	for _, bt := range batches {
		if _, err := store.Resolve(ctx, space, bt.Source, bt.Events); err != nil {
			b.Fatal(fmt.Errorf("resolve: %w", err))
		}
	}
	b.StopTimer()
	if b.N > len(events) {
		b.Logf("wrote %d events, not %d", len(events), b.N)
	}
}

// warmWrites writes the workload's first 1,000 events into a space of its
// own before a write benchmark's clock starts, so that Neo4j has planned
// the write path's statements (a plan is per statement text, whatever the
// space) and the timed transactions do not wait for its planner, as a
// server's would not after its first requests.
func warmWrites(b *testing.B, store *graph.Store, events []idgraph.Event, sources []string) {
	b.Helper()
	warm := benchSpace(b)
	n := min(1000, len(events))
	for _, bt := range bench.SplitCalls(events[:n], sources, 500) {
		if _, err := store.Resolve(context.Background(), warm, bt.Source, bt.Events); err != nil {
			b.Fatal(fmt.Errorf("warm-up: %w", err))
		}
	}
}

// benchSpace returns a space of its own on the test database, with the
// workload's two sources.
func benchSpace(b *testing.B) idgraph.Space {
	space := idgraph.Space{ID: graphtest.Space(b), Rules: idgraph.DefaultRules()}
	for _, a := range bench.Apps {
		space.Sources = append(space.Sources, idgraph.Source{ID: a.Source, Name: a.Name})
	}
	return space
}

// BenchmarkWriterConcurrent is the write path of POST /v1/batch without
// HTTP: 16 goroutines each hand the group-commit writer 100 events of one
// source at a time and wait for the commit, as 16 HTTP clients do; once with
// the workload's two sources, once with every event relabelled to one
// source. (Before commit 30fc82f the writer had a queue per source, so two
// sources meant two transactions at once in one space, which deadlocked.)
// The figure is per event; -cpuprofile shows idgraph's side of it, and the
// log where the write transactions' time went, as the ingest methods of
// BENCHMARKS.md say it (idgraph serve's metrics, api.Metrics, observe the
// benchmark's database): a statement far above its usual share points at
// its plan (see cypher/README.md on identifier lookups). Run with
// -benchtime Nx, N at most 20,000.
func BenchmarkWriterConcurrent(b *testing.B) {
	b.Run("two-sources", func(b *testing.B) { benchWriter(b, false) })
	b.Run("one-source", func(b *testing.B) { benchWriter(b, true) })
}

func benchWriter(b *testing.B, oneSource bool) {
	_, events, sources := workload(b, 20000)
	if oneSource {
		for i := range sources {
			sources[i] = bench.Apps[0].Source
		}
	}
	db := graphtest.Open(b)
	store := graph.NewStore(db)
	warmWrites(b, store, events, sources)
	space := benchSpace(b)
	chunks := bench.SplitCalls(events[:min(b.N, len(events))], sources, 100)
	w := ingest.NewWriter(store, ingest.WriterOptions{})
	defer w.Close()
	m := api.NewMetrics()
	db.Observe(m)
	b.ResetTimer()
	if err := bench.WriteCalls(context.Background(), w, space, 16, chunks); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	text := httptest.NewRecorder()
	promhttp.HandlerFor(m.Registry(), promhttp.HandlerOpts{}).ServeHTTP(text, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	split, err := bench.TransactionSplit(text.Body)
	if err != nil {
		b.Fatal(err)
	}
	b.Log(split)
}

// BenchmarkStoreProfile is the lookup behind external_ids without HTTP:
// graph.Store.Profile for random identifiers of a graph of 5,000 events.
func BenchmarkStoreProfile(b *testing.B) {
	_, events, sources := workload(b, 5000)
	store := graph.NewStore(graphtest.Open(b))
	space := benchSpace(b)
	ctx := context.Background()
	var ids []idgraph.Identifier
	for i := 0; i < len(events); i += 250 {
		end := min(i+250, len(events))
		if _, err := store.Resolve(ctx, space, idgraph.Source{ID: sources[i]}, events[i:end]); err != nil {
			b.Fatal(err)
		}
		for _, e := range events[i:end] {
			got, _ := space.Rules.Extract(e)
			ids = append(ids, got...)
		}
	}
	// A shared identifier names no one person (ECONFLICT): the benchmark
	// looks up the others, as a caller asking for a person does.
	ids = slices.DeleteFunc(ids, func(id idgraph.Identifier) bool {
		_, err := store.Profile(ctx, space.ID, id)
		return idgraph.ErrorCode(err) == idgraph.ECONFLICT
	})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := store.Profile(ctx, space.ID, ids[(i*7919)%len(ids)]); err != nil {
			b.Fatal(err)
		}
	}
}
