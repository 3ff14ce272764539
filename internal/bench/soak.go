package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/faultproxy"
)

// SoakOptions configure a soak run (idgraph-bench soak, make soak).
type SoakOptions struct {
	Binary   string       // the idgraph binary, run as a child `idgraph serve`
	Graph    graph.Config // the Neo4j to run against
	Duration time.Duration
	Rate     float64       // requests a second, all kinds together
	Workers  int           // requests in flight at most
	Window   time.Duration // how often resources are sampled and latency summed up
	Dir      string        // for the spaces file
	Log      io.Writer

	// OutageEvery and OutageFor inject Neo4j outages: every OutageEvery
	// the child's connection to Neo4j (through a loopback proxy) is cut
	// for OutageFor. Zero OutageEvery injects none.
	OutageEvery, OutageFor time.Duration
}

// outageGrace is how long after an outage ends a 503 is still put down to
// it: the driver's pool reconnects and the requests queued meanwhile drain.
const outageGrace = 10 * time.Second

// Soak runs mixed ingestion, lookups, explanations, correction previews
// and poisoned requests from several sources against a child idgraph
// serve on loopback, at a bounded rate, for o.Duration; it samples the
// server's memory, goroutines and open files every o.Window and returns
// every request's outcome. It writes only to a space of its own, deleted
// at the end.
func Soak(ctx context.Context, o SoakOptions) (*SoakReport, error) {
	spaceID := "soak_" + secret()[:8]
	sp := &benchSpace{id: spaceID, token: "tok_" + secret(), keys: map[string]string{}}
	var px *faultproxy.Proxy
	childURI := o.Graph.URI
	if o.OutageEvery > 0 {
		u, err := url.Parse(o.Graph.URI)
		if err != nil {
			return nil, fmt.Errorf("soak: NEO4J_URI: %w", err)
		}
		if px, err = faultproxy.New(u.Host); err != nil {
			return nil, err
		}
		defer px.Close()
		childURI = "bolt://" + px.Addr() // one server, so no routing table sends the child around the proxy
	}
	env, err := soakConfigure(o, sp, childURI)
	if err != nil {
		return nil, err
	}
	db, err := graph.Open(ctx, o.Graph)
	if err != nil {
		return nil, err
	}
	defer db.Close(context.WithoutCancel(ctx))
	defer func() { _ = deleteSpace(context.WithoutCancel(ctx), db, spaceID) }()
	srv, err := startServer(ctx, o.Binary, env)
	if err != nil {
		return nil, err
	}
	c := &soakClient{base: "http://" + srv.addr, space: sp, client: &http.Client{Timeout: 60 * time.Second}}
	rep := &SoakReport{Options: o, Version: idgraphVersion(ctx, o.Binary), Outcomes: map[string]map[int]int{}, DuringOutage: map[string]map[int]int{}}
	run(ctx, o, c, srv.pid(), px, rep)
	if _, err := srv.stop(); err != nil {
		rep.StopError = err.Error()
	}
	return rep, nil
}

// soakConfigure writes the spaces file (one space, three sources) and
// returns the child's environment.
func soakConfigure(o SoakOptions, sp *benchSpace, uri string) ([]string, error) {
	y := fmt.Sprintf("# written by idgraph-bench soak\nspaces:\n  - id: %s\n    access_tokens: [%q]\n    sources:\n", sp.id, sp.token)
	for _, src := range soakSources {
		sp.keys[src] = "wk_" + src + "_" + secret()
		y += fmt.Sprintf("      - {id: %s, write_key: %q}\n", src, sp.keys[src])
	}
	path := filepath.Join(o.Dir, "soak-spaces.yaml")
	if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
		return nil, err
	}
	g := o.Graph
	if g.Database == "" {
		g.Database = "neo4j"
	}
	return []string{
		"NEO4J_URI=" + uri, "NEO4J_USERNAME=" + g.Username, "NEO4J_PASSWORD=" + g.Password,
		"NEO4J_DATABASE=" + g.Database, "IDGRAPH_ADDR=127.0.0.1:0", "IDGRAPH_CONFIG=" + path,
		"LOG_FORMAT=json", "LOG_LEVEL=info",
	}, nil
}

var soakSources = []string{"web", "ios", "android"}

// run sends requests at o.Rate with at most o.Workers in flight until
// o.Duration has passed, samples the server every o.Window, and cuts px
// (when there is one) every o.OutageEvery for o.OutageFor.
func run(ctx context.Context, o SoakOptions, c *soakClient, pid int, px *faultproxy.Proxy, rep *SoakReport) {
	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	rep.started = time.Now()
	start := rep.started
	jobs := make(chan *rand.Rand, o.Workers)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Go(func() {
			for rng := range jobs {
				sent := time.Now()
				kind, status, took := c.send(rng)
				mu.Lock()
				rep.record(kind, status, sent, took)
				mu.Unlock()
			}
		})
	}
	tick := time.NewTicker(time.Duration(float64(time.Second) / o.Rate))
	defer tick.Stop()
	window := time.NewTicker(o.Window)
	defer window.Stop()
	var outage <-chan time.Time // the next cut, or the end of the current one
	if px != nil {
		outage = time.After(o.OutageEvery)
	}
	seed := uint64(1)
	for {
		select {
		case <-ctx.Done():
			mu.Lock()
			if rep.outageOpen() {
				rep.toggleOutage(px) // leave Neo4j reachable for the server's stop and the clean-up
			}
			mu.Unlock()
			close(jobs)
			wg.Wait()
			rep.sample(time.Since(start), pid, c)
			return
		case <-window.C:
			mu.Lock()
			rep.sample(time.Since(start), pid, c)
			mu.Unlock()
			fmt.Fprintf(o.Log, "soak: %s: %s\n", time.Since(start).Round(time.Second), rep.Samples[len(rep.Samples)-1])
		case <-outage:
			mu.Lock()
			rep.toggleOutage(px)
			down := rep.outageOpen()
			mu.Unlock()
			if down {
				fmt.Fprintf(o.Log, "soak: %s: Neo4j cut for %s\n", time.Since(start).Round(time.Second), o.OutageFor)
				outage = time.After(o.OutageFor)
			} else {
				fmt.Fprintf(o.Log, "soak: %s: Neo4j back\n", time.Since(start).Round(time.Second))
				outage = time.After(o.OutageEvery - o.OutageFor) // cuts start every OutageEvery
			}
		case <-tick.C:
			seed++
			select {
			case jobs <- rand.New(rand.NewPCG(seed, 15)):
			default:
				mu.Lock()
				rep.Skipped++ // every worker busy: the rate stays bounded
				mu.Unlock()
			}
		}
	}
}
