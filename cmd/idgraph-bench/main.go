// Command idgraph-bench measures idgraph: gen writes a workload with its
// ground truth, bench runs it through a child `idgraph serve` against Neo4j
// and writes BENCHMARKS.md and bench.json, and gobench writes the Go
// benchmarks' results into BENCHMARKS.md. It is a binary of its own so that
// nothing of the benchmark is compiled into the service.
package main

import "github.com/idgraph/idgraph/internal/cli"

var program = cli.Program{
	Name:  "idgraph-bench",
	About: "idgraph-bench measures idgraph: ingest, lookups, explanations, check, rebuild, accuracy and memory.",
	Commands: []cli.Command{
		{Name: "gen", Summary: "write a benchmark workload: NDJSON events with their ground truth", Run: runGen},
		{Name: "bench", Summary: "benchmark ingest, lookups, explanations, check, rebuild, accuracy and memory", Run: runBench},
		{Name: "score", Summary: "score the rules in process (shared identifiers on and off) on generated workloads, without Neo4j", Run: runScore},
		{Name: "gobench", Summary: "write the Go benchmarks' results (go test -bench output) into BENCHMARKS.md", Run: runGoBench},
		{Name: "soak", Summary: "send mixed and poisoned requests for a while; report memory, goroutines, open files, latency and outcomes", Run: runSoak},
	},
}

func main() { cli.Main(program) }
