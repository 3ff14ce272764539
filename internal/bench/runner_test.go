package bench_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph/internal/bench"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestRunQuick runs the whole benchmark, small, against the real binary
// and the test Neo4j, in spaces of its own that it must delete.
func TestRunQuick(t *testing.T) {
	cfg := graphtest.Config(t)
	db := graphtest.Open(t)
	binary, err := graphtest.BuildBinary(t.TempDir(), "bench")
	if err != nil {
		t.Fatal(err)
	}
	prefix := graphtest.Space(t)
	var log strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := bench.Run(ctx, bench.Options{
		Binary: binary, Graph: cfg, Events: 3000, Seed: 2, Mode: "quick",
		Dir: t.TempDir(), Lookups: 400, Explains: 200, PhaseTimeout: time.Minute,
		SpacePrefix: prefix, Log: &log, SampleQueries: true, ProfileQueries: true,
	})
	if rep != nil {
		t.Cleanup(func() {
			for _, s := range rep.Spaces {
				if err := graphtest.DeleteSpace(s); err != nil {
					t.Errorf("delete %s: %v", s, err)
				}
			}
		})
	}
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, log.String())
	}

	for _, key := range []string{
		"ingest.http.c1", "ingest.http.c4", "ingest.http.c16", "ingest.http.c16.p99", "ingest.load",
		"ingest.floor", "ingest.ratio", "memory.peak",
		// The shared cost's turns: segment_compatible, default (c4), again, once more.
		"ingest.http.c4.segment_compatible.1", "ingest.http.c4.again.2", "ingest.http.c4.segment_compatible.3", "ingest.shared_cost",
		"lookup.c1.p50", "lookup.c1.p99", "lookup.c16.p99", "lookup.c16.max", "lookup.c16.rps",
		"explain.within.p50", "explain.within.p99", "maintenance.check", "maintenance.rebuild",
		"health.command", "health.queries", "sandbox.simulate", "sandbox.promote",
		"accuracy.idgraph.precision", "accuracy.idgraph.recall", "accuracy.components.f1",
	} {
		f, ok := rep.Figure(key)
		if !ok {
			t.Errorf("no figure %s", key)
			continue
		}
		if f.Value <= 0 || f.Method == "" {
			t.Errorf("figure %s: value %v, method %q", key, f.Value, f.Method)
		}
	}
	for key, met := range map[string]bool{"ingest.http.c16": true, "memory.peak": true, "lookup.c16.p99": true, "accuracy.idgraph.recall": true, "ingest.shared_cost": true, "sandbox.simulate": true, "sandbox.promote": true} {
		if f, _ := rep.Figure(key); (f.Met != nil) != met || f.Target == "" {
			t.Errorf("figure %s: target %q, met %v; want a target", key, f.Target, f.Met)
		}
	}
	// The diagnostics work: statement samples, and PROFILE of the write path
	// (whose rows must follow graph/) and of the read queries.
	plans := map[string]bool{}
	for _, p := range rep.Plans {
		plans[p.Query] = p.DBHits > 0 && p.Text != ""
	}
	for _, q := range []string{"find_events", "merge_identifiers", "lock_profiles", "write_events", "find_profile", "find_explanation"} {
		if !plans[q] {
			t.Errorf("no PROFILE of %s; notes: %v", q, rep.Notes)
		}
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "statement samples during POST /v1/batch") {
		t.Errorf("no statement samples in the notes: %v", rep.Notes)
	}
	if rep.Failures != 0 {
		t.Errorf("%d requests failed", rep.Failures)
	}
	idg, comps := rep.Accuracy["idgraph"], rep.Accuracy["components"]
	if idg.Missing != 0 {
		t.Errorf("%d personal identifiers missing from idgraph's graph: ingestion lost events", idg.Missing)
	}
	if idg.Precision <= comps.Precision || idg.Recall < 0.9 {
		t.Errorf("idgraph %s against components %s: want better precision and recall ≥ 0.9", idg, comps)
	}
	if rep.Machine.Neo4jVersion == "" || rep.Machine.Cores == 0 {
		t.Errorf("machine %+v: want the Neo4j version and the cores", rep.Machine)
	}

	// The run deleted every space it wrote.
	res, err := db.ReadQuery(ctx, "count", "MATCH (n) WHERE n.space IN $spaces RETURN count(n) AS n", map[string]any{"spaces": rep.Spaces})
	if err != nil {
		t.Fatal(err)
	}
	if n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "n"); n != 0 {
		t.Errorf("%d nodes left in the run's spaces %v", n, rep.Spaces)
	}

	md := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := rep.WriteMarkdownFile(md); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(md)
	for _, want := range []string{"| figure | value | target |", "POST /v1/batch, 16 clients", "≥ 10,000 events/s", "## Analysis"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("BENCHMARKS.md lacks %q:\n%s", want, b)
		}
	}
}

// TestWriteMarkdownFileKeepsTheAnalysis checks that a rerun replaces only
// the generated part.
func TestWriteMarkdownFileKeepsTheAnalysis(t *testing.T) {
	md := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	rep := &bench.Report{Started: time.Now(), Mode: "quick", Figures: []bench.Figure{{Key: "a", Section: "S", Name: "first", Value: 1, Unit: "ms", Method: "m"}}}
	if err := rep.WriteMarkdownFile(md); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(md)
	edited := strings.Replace(string(b), "_To be written", "Lookups are slow because of X.\n\n_To be written", 1)
	edited = "# Benchmarks of idgraph\n\nIntro kept.\n" + strings.TrimPrefix(edited, "# Benchmarks\n")
	if err := os.WriteFile(md, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	rep.Figures[0].Name = "second"
	if err := rep.WriteMarkdownFile(md); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(md)
	got := string(b)
	for _, want := range []string{"Intro kept.", "Lookups are slow because of X.", "S: second"} {
		if !strings.Contains(got, want) {
			t.Errorf("rewritten file lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "S: first") {
		t.Errorf("rewritten file still has the old figure:\n%s", got)
	}
}
