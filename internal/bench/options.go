package bench

import (
	crand "crypto/rand"
	"encoding/hex"
	"io"
	"slices"
	"time"

	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
)

// Options configure a benchmark run. The zero value of a field means its
// default.
type Options struct {
	// Binary is the idgraph binary: the runner starts `serve` as a child
	// process (so its memory can be read from /proc) and runs `load`,
	// `check`, `rebuild` and `version`.
	Binary string
	// Graph is the Neo4j the binary uses; the runner also writes the floor
	// and reads the graph back through it.
	Graph graph.Config
	// Events is the workload's size: the graph that lookups, explanations,
	// check, rebuild and accuracy run on, ingested at the most clients.
	// Default 1,000,000.
	Events int
	// RateEvents is how many of those events (a prefix) the other ingest
	// runs send: fewer clients and idgraph load. Default min(Events, 100,000).
	RateEvents int
	Seed       uint64
	// Noise is the workload's noise; nil means all kinds.
	Noise NoiseSet
	// Replicas, when above zero, makes the run the replica comparison
	// alone: the workload's events through 1, 2, ... Replicas idgraph serve
	// processes on the same Neo4j, each into a fresh space, with the rates'
	// ratios to one replica's, the events lost or stored twice, and
	// idgraph check. Its figures go to a section of their own.
	Replicas int
	// Mode names the run in the report ("quick", "full" or "replicas").
	Mode string
	// Dir holds the workload, the spaces file and the load files; a
	// temporary directory, removed afterwards, when empty.
	Dir string
	// BatchSize is the events per POST /v1/batch (100); Clients the
	// concurrent clients of each HTTP ingest run ({1, 4, 16}).
	BatchSize int
	Clients   []int
	// FloorWriters is the floor's concurrent transactions (default 2, the
	// cores of the machine the benchmark was written on; plain MERGEs in
	// sorted order do not deadlock), which take the batches in file order
	// from one queue, whatever their source; FloorBatch is the events per
	// transaction (500, the writer's MaxBatch).
	FloorWriters int
	FloorBatch   int
	// Lookups is the external_ids requests at 16 clients (a quarter of it at
	// 1 client); Explains the explain requests of each kind. Default 20,000
	// and 4,000.
	Lookups  int
	Explains int
	// PhaseTimeout bounds each timed phase (default 40 minutes).
	PhaseTimeout time.Duration
	// SpacePrefix names the run's spaces (prefix_c16, prefix_floor, ...);
	// "bench_" and a random suffix when empty.
	SpacePrefix string
	// Keep leaves the spaces in Neo4j after the run.
	Keep bool
	// SampleQueries samples Neo4j's running statements (SHOW TRANSACTIONS
	// every 20 ms) during the largest ingest run, the 16-client lookups and
	// the explanations, and reports where the server's time went. It costs
	// the server a little: leave it off for the figures of record.
	SampleQueries bool
	// ProfileQueries runs Neo4j's PROFILE on every statement of the write
	// path for one batch (graph.Store.DryResolve, rolled back) and on the
	// read queries of the slowest lookup and explanations, and puts the
	// plans in the report.
	ProfileQueries bool
	// NoiseBreakdown also scores idgraph's rules in process and plain
	// components on workloads (min(Events, 100,000) events) with no noise,
	// each noise kind alone, and all: which kind costs what.
	NoiseBreakdown bool
	// Log receives progress lines; nothing is written when nil.
	Log io.Writer
}

func (o *Options) defaults() {
	if o.Events <= 0 {
		o.Events = 1_000_000
	}
	if o.RateEvents <= 0 {
		o.RateEvents = min(o.Events, 100_000)
	}
	o.RateEvents = min(o.RateEvents, o.Events)
	if o.Noise == nil {
		o.Noise, _ = ParseNoise("all")
	}
	if o.Mode == "" {
		o.Mode = "full"
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 100
	}
	if len(o.Clients) == 0 {
		o.Clients = []int{1, 4, 16}
	}
	o.Clients = slices.Sorted(slices.Values(o.Clients))
	if o.FloorWriters <= 0 {
		o.FloorWriters = 2
	}
	if o.FloorBatch <= 0 {
		o.FloorBatch = ingest.DefaultMaxBatch
	}
	if o.Lookups <= 0 {
		o.Lookups = 20_000
	}
	if o.Explains <= 0 {
		o.Explains = 4_000
	}
	if o.PhaseTimeout <= 0 {
		o.PhaseTimeout = 40 * time.Minute
	}
	if o.SpacePrefix == "" {
		b := make([]byte, 3)
		_, _ = crand.Read(b)
		o.SpacePrefix = "bench_" + time.Now().UTC().Format("20060102_150405") + "_" + hex.EncodeToString(b)
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}
