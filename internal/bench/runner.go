package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
)

type runner struct {
	o       Options
	slowest map[string][2]idgraph.Identifier // by series (find_profile, within, rejected): the parameters of the slowest request
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

	if o.Replicas > 0 {
		err = r.runReplicas(ctx)
	} else {
		err = r.run(ctx)
	}
	r.rep.Took = time.Since(r.rep.Started)
	r.rep.Machine.LoadAfter = loadAvg()
	return r.rep, err
}

// run runs the phases in order: the setting, then writing (ingest, load,
// floor), then reading the graph the most clients built, then what needs
// no server (accuracy, the health report, check, rebuild, the rule
// sandbox).
func (r *runner) run(ctx context.Context) error {
	if err := r.setUp(ctx); err != nil {
		return err
	}
	for _, phase := range []func(context.Context) error{r.ingest, r.load, r.floor} {
		if err := phase(ctx); err != nil {
			return err
		}
	}
	main := r.spaces[r.mainKey()]
	ps, err := readProfiles(ctx, r.db, main.id)
	if err != nil {
		return err
	}
	if err := r.read(ctx, main, ps); err != nil {
		return err
	}
	if err := r.accuracy(ps); err != nil {
		return err
	}
	if r.o.NoiseBreakdown {
		n := min(r.o.Events, 100_000)
		r.logf("noise breakdown: %d events per workload, in process", n)
		if r.rep.NoiseBreakdown, err = NoiseBreakdown(n, r.o.Seed); err != nil {
			return err
		}
	}
	if err := r.health(ctx, main); err != nil {
		return err
	}
	if err := r.maintenance(ctx, main); err != nil {
		return err
	}
	// Last: promoting changes the graph.
	return r.ruleSandbox(ctx, main)
}

// setUp describes the machine, writes the workload and the spaces file, and
// starts the server.
func (r *runner) setUp(ctx context.Context) error {
	if err := r.prepare(ctx); err != nil {
		return err
	}
	if err := r.configure(); err != nil {
		return err
	}
	r.logf("starting %s serve", r.o.Binary)
	var err error
	r.srv, err = startServer(ctx, r.o.Binary, r.env)
	return err
}

// prepare describes the machine and writes the workload.
func (r *runner) prepare(ctx context.Context) error {
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
	return nil
}

// read runs the lookups, the explanations, the event pages and, when asked for, PROFILE of
// the queries on the main graph, then stops the server and notes its peak
// memory.
func (r *runner) read(ctx context.Context, main *benchSpace, ps *profiles) error {
	if err := r.lookups(ctx, main, ps); err != nil {
		return err
	}
	if err := r.explains(ctx, main, ps); err != nil {
		return err
	}
	if err := r.pages(ctx, main, ps); err != nil {
		return err
	}
	if r.o.ProfileQueries {
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
	return nil
}

// mainKey is the space of the run with the most clients: the full graph.
func (r *runner) mainKey() string { return fmt.Sprintf("c%d", r.o.Clients[len(r.o.Clients)-1]) }

// pids are the processes whose CPU time a phase reports.
func (r *runner) pids() map[string]int {
	m := map[string]int{"Neo4j": r.neo4j, "load generator": os.Getpid()}
	if r.srv != nil {
		m["idgraph"] = r.srv.pid()
	}
	return m
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

// clientsText is "1 client" or "n concurrent clients".
func clientsText(n int) string {
	if n == 1 {
		return "1 client"
	}
	return fmt.Sprintf("%d concurrent clients", n)
}
