package bench

import (
	"strings"
	"testing"
)

// TestTimeSplit: the write transactions' time split between two scrapes,
// from the statement, commit and transaction sums of op "resolve events".
func TestTimeSplit(t *testing.T) {
	series := func(kv ...any) metrics {
		m := metrics{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1].(float64)
		}
		return m
	}
	stmt := func(q string) string {
		return `idgraph_neo4j_statement_duration_seconds_sum{op="resolve events",query="` + q + `"}`
	}
	const (
		ok     = `idgraph_neo4j_transaction_duration_seconds_sum{op="resolve events",result="ok"}`
		failed = `idgraph_neo4j_transaction_duration_seconds_sum{op="resolve events",result="unavailable"}`
		commit = `idgraph_neo4j_commit_duration_seconds_sum{op="resolve events"}`
		other  = `idgraph_neo4j_transaction_duration_seconds_sum{op="read profile",result="ok"}`
	)
	before := series(ok, 1.0, stmt("write_events"), 0.5, commit, 0.2, other, 7.0)
	after := series(ok, 10.0, failed, 1.0, other, 50.0, commit, 3.2,
		stmt("write_events"), 3.5, stmt("merge_identifiers"), 1.0, stmt("a"), 0.5, stmt("b"), 0.5, stmt("c"), 0.25, stmt("d"), 0.25, stmt("e"), 0.5)
	got := timeSplit(before, after)
	// 10 s in all: 9 ok + 1 failed; statements 6, commits 3, the rest 1.
	for _, want := range []string{
		"10.0 s in all",
		"statements 60% (`write_events` 30%, `merge_identifiers` 10%, `a` 5%, `b` 5%, `e` 5%, the 2 others 5%)",
		"commits 30%",
		"the rest 10%",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("timeSplit = %q, want it to say %q", got, want)
		}
	}
	if got := timeSplit(before, before); got != "" {
		t.Errorf("timeSplit with no statements = %q, want nothing", got)
	}
}

// TestTransactionSplitReadsMetricsText: the split from a /metrics text as
// idgraph serve writes it, comments and other series skipped.
func TestTransactionSplitReadsMetricsText(t *testing.T) {
	text := `# HELP idgraph_neo4j_transaction_duration_seconds Time.
# TYPE idgraph_neo4j_transaction_duration_seconds histogram
idgraph_neo4j_transaction_duration_seconds_sum{op="resolve events",result="ok"} 4
idgraph_neo4j_transaction_duration_seconds_count{op="resolve events",result="ok"} 2
idgraph_neo4j_statement_duration_seconds_sum{op="resolve events",query="write_events"} 2
idgraph_neo4j_commit_duration_seconds_sum{op="resolve events"} 1
idgraph_events_total{source="segkicks"} 900
`
	got, err := TransactionSplit(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Where their time went (from /metrics; 4.0 s in all, retries included): statements 50% (`write_events` 50%), commits 25%, the rest 25%"; !strings.HasPrefix(got, want) {
		t.Errorf("TransactionSplit = %q, want it to start %q", got, want)
	}
}
