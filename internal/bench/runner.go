package bench

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/idgraph/idgraph"
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
	// Mode names the run in the report ("quick" or "full").
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

// benchSpace is one space the run writes, with its keys.
type benchSpace struct {
	id    string
	token string
	keys  map[string]string // write key by source id
}

type runner struct {
	o       Options
	slowest map[string][2]idgraph.Identifier // by query: the parameters of the slowest request
	rep     *Report
	db      *graph.DB
	env     []string
	client  *http.Client
	srv     *server
	spaces  map[string]*benchSpace // by suffix: c1, c4, c16, load
	neo4j   int                    // the local Neo4j server's pid, 0 if none
	events  string                 // the workload's events file
	truth   string
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.o.Log, "bench: "+format+"\n", args...)
}

// Run runs the benchmark and returns its report. It writes only to its own
// spaces and deletes them at the end (unless Options.Keep).
func Run(ctx context.Context, o Options) (*Report, error) {
	o.defaults()
	r := &runner{
		o:       o,
		slowest: map[string][2]idgraph.Identifier{},
		rep:     &Report{Started: time.Now(), Mode: o.Mode, Accuracy: map[string]Accuracy{}},
		client: &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{
			MaxIdleConnsPerHost: 64, DisableCompression: true, // no Proxy: loopback only
		}},
	}
	defer r.client.CloseIdleConnections()
	if o.Dir == "" {
		dir, err := os.MkdirTemp("", "idgraph-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		r.o.Dir = dir
	}
	db, err := graph.Open(ctx, o.Graph)
	if err != nil {
		return nil, err
	}
	r.db = db
	defer db.Close(context.WithoutCancel(ctx))
	defer r.cleanup(ctx)

	err = r.run(ctx)
	r.rep.Took = time.Since(r.rep.Started)
	r.rep.Machine.LoadAfter = loadAvg()
	return r.rep, err
}

func (r *runner) run(ctx context.Context) error {
	o := r.o
	r.rep.Machine = readMachine(ctx, o.Binary)
	if err := neo4jInfo(ctx, r.db, &r.rep.Machine); err != nil {
		return err
	}
	if r.rep.Machine.Java == "" {
		r.rep.Machine.Java = javaVersion(ctx)
	}
	r.neo4j = neo4jPID()

	r.logf("generating %d events (seed %d, noise %s) into %s", o.Events, o.Seed, o.Noise, o.Dir)
	sum, err := WriteWorkload(o.Dir, Workload{Events: o.Events, Seed: o.Seed, Noise: o.Noise})
	if err != nil {
		return err
	}
	r.rep.Workload = sum
	r.events, r.truth = filepath.Join(o.Dir, EventsFile), filepath.Join(o.Dir, TruthFile)

	if err := r.configure(); err != nil {
		return err
	}
	r.logf("starting %s serve", o.Binary)
	r.srv, err = startServer(ctx, o.Binary, r.env)
	if err != nil {
		return err
	}
	if err := r.ingest(ctx); err != nil {
		return err
	}
	if err := r.load(ctx); err != nil {
		return err
	}
	if err := r.floor(ctx); err != nil {
		return err
	}
	main := r.spaces[r.mainKey()]
	ps, err := readProfiles(ctx, r.db, main.id)
	if err != nil {
		return err
	}
	if err := r.lookups(ctx, main, ps); err != nil {
		return err
	}
	if err := r.explains(ctx, main, ps); err != nil {
		return err
	}
	if o.ProfileQueries {
		if err := r.profile(ctx, main); err != nil {
			return err
		}
	}
	rss, err := r.srv.stop()
	r.srv = nil
	if err != nil {
		return err
	}
	r.rep.note("idgraph serve's peak resident memory over its whole life (ingest, lookups and explanations; getrusage): %.0f MB.", float64(rss)/(1<<20))
	if err := r.accuracy(ps); err != nil {
		return err
	}
	if o.NoiseBreakdown {
		n := min(o.Events, 100_000)
		r.logf("noise breakdown: %d events per workload, in process", n)
		if r.rep.NoiseBreakdown, err = NoiseBreakdown(n, o.Seed); err != nil {
			return err
		}
	}
	return r.maintenance(ctx, main)
}

// mainKey is the space of the run with the most clients: the full graph.
func (r *runner) mainKey() string { return fmt.Sprintf("c%d", r.o.Clients[len(r.o.Clients)-1]) }

// configure writes the spaces file (one space per ingest run, two sources
// each) and the child processes' environment.
func (r *runner) configure() error {
	r.spaces = map[string]*benchSpace{}
	var keys []string
	for _, c := range r.o.Clients {
		keys = append(keys, fmt.Sprintf("c%d", c))
	}
	keys = append(keys, "load")
	var y strings.Builder
	y.WriteString("# written by idgraph-bench bench for one run\nspaces:\n")
	for _, k := range keys {
		sp := &benchSpace{id: r.o.SpacePrefix + "_" + k, token: "tok_" + secret(), keys: map[string]string{}}
		fmt.Fprintf(&y, "  - id: %s\n    access_tokens: [%q]\n    sources:\n", sp.id, sp.token)
		for _, a := range Apps {
			sp.keys[a.Source] = "wk_" + a.Source + "_" + secret()
			fmt.Fprintf(&y, "      - {id: %s, name: %q, write_key: %q}\n", a.Source, a.Name, sp.keys[a.Source])
		}
		r.spaces[k] = sp
		r.rep.Spaces = append(r.rep.Spaces, sp.id)
	}
	r.rep.Spaces = append(r.rep.Spaces, r.o.SpacePrefix+"_floor")
	path := filepath.Join(r.o.Dir, "spaces.yaml")
	if err := os.WriteFile(path, []byte(y.String()), 0o600); err != nil {
		return err
	}
	g := r.o.Graph
	r.env = []string{
		"NEO4J_URI=" + g.URI, "NEO4J_USERNAME=" + g.Username, "NEO4J_PASSWORD=" + g.Password,
		"NEO4J_DATABASE=" + g.Database, "IDGRAPH_ADDR=127.0.0.1:0", "IDGRAPH_CONFIG=" + path,
		"LOG_FORMAT=json", "LOG_LEVEL=info",
	}
	if g.Database == "" {
		r.env[3] = "NEO4J_DATABASE=neo4j"
	}
	return nil
}

func secret() string {
	b := make([]byte, 12)
	_, _ = crand.Read(b)
	return hex.EncodeToString(b)
}

// cleanup stops the server if it still runs and deletes the run's spaces.
func (r *runner) cleanup(ctx context.Context) {
	if r.srv != nil {
		_, _ = r.srv.stop()
	}
	if r.o.Keep {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Minute)
	defer cancel()
	for _, s := range r.rep.Spaces {
		r.logf("deleting space %s", s)
		if err := deleteSpace(ctx, r.db, s); err != nil {
			r.logf("could not delete space %s: %v", s, err)
		}
	}
}

// pids are the processes whose CPU time a phase reports.
func (r *runner) pids() map[string]int {
	m := map[string]int{"Neo4j": r.neo4j, "load generator": os.Getpid()}
	if r.srv != nil {
		m["idgraph"] = r.srv.pid()
	}
	return m
}

// sample starts the query sampler when asked for; stop it with r.sampled.
func (r *runner) sample(ctx context.Context) *querySampler {
	if !r.o.SampleQueries {
		return nil
	}
	return sampleQueries(ctx, r.db, 20*time.Millisecond)
}

// sampled stops s and notes what it saw during what.
func (r *runner) sampled(s *querySampler, what string) {
	if s == nil {
		return
	}
	shares, ticks, err := s.Stop()
	if err != nil {
		r.rep.note("statement samples during %s failed: %v", what, err)
		return
	}
	r.rep.note("Neo4j statement samples during %s (SHOW TRANSACTIONS every 20 ms, %d samples; share of running transactions by statement): %s.",
		what, ticks, strings.Join(shares, ", "))
}

func (r *runner) phase(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.o.PhaseTimeout)
}

// sizeNote says when the graph is smaller than the one the targets
// are set on.
func (r *runner) sizeNote() string {
	if r.o.Events >= 1_000_000 {
		return ""
	}
	return fmt.Sprintf("(The target is set on a 1,000,000-event graph; this one has %s events.)", thousands(float64(r.o.Events)))
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// runCommand runs binary with args and env and returns its wall time and
// output.
func runCommand(ctx context.Context, binary string, env []string, args ...string) (time.Duration, string, string, error) {
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	return time.Since(start), out.String(), errOut.String(), err
}

// clientsText is "1 client" or "n concurrent clients".
func clientsText(n int) string {
	if n == 1 {
		return "1 client"
	}
	return fmt.Sprintf("%d concurrent clients", n)
}
