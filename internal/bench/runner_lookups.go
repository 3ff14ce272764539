package bench

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/idgraph/idgraph"
)

// lookups times external_ids for random identifiers of the main graph: at
// 1 client, then at 16, each series over identifiers of its own (up to
// 1,000) after a warm-up over others, so that no series is warmed by what
// went before it.
func (r *runner) lookups(ctx context.Context, sp *benchSpace, ps *profiles) error {
	warm := warmSize(maxWarmUp, len(ps.ids)/2)
	timed := min(1000, (len(ps.ids)-2*warm)/2)
	if timed == 0 {
		return fmt.Errorf("space %s holds too few identifiers to look up (%d)", sp.id, len(ps.ids))
	}
	rng := rand.New(rand.NewPCG(r.o.Seed, 11))
	parts := deal(rng, ps.ids, warm, timed, warm, timed)
	for i, c := range []int{1, 16} {
		r.lookupSeries(ctx, sp, c, parts[2*i], parts[2*i+1], len(ps.ids))
	}
	return nil
}

// lookupSeries warms up over warm, then times external_ids requests over
// timed from c clients, and adds the figures.
func (r *runner) lookupSeries(ctx context.Context, sp *benchSpace, c int, warm, timed []idgraph.Identifier, graphIDs int) {
	n := r.o.Lookups
	if c == 1 {
		n = max(1, n/4)
	}
	r.logf("lookups: external_ids, %d clients, %d requests", c, n)
	base := "http://" + r.srv.addr
	urls := func(ids []idgraph.Identifier) func(int) string {
		return func(i int) string { return profileURL(base, sp.id, ids[i%len(ids)], "/external_ids") }
	}
	warmed := r.warmUp(ctx, sp, c, warmUpRequests(c, n), len(warm), urls(warm))
	var qs *querySampler
	if c > 1 {
		qs = r.sample(ctx)
	}
	cpu := startCPU(r.pids())
	pctx, cancel := r.phase(ctx)
	res := readLoad(pctx, r.client, sp.token, c, n, urls(timed))
	cancel()
	used := cpu.Stop()
	r.sampled(qs, fmt.Sprintf("external_ids at %d clients", c))
	r.rep.Failures += res.Failed
	if c > 1 && res.Requests > 0 {
		id := timed[res.Slowest%len(timed)]
		r.slowest["find_profile"] = [2]idgraph.Identifier{id, id}
	}
	method := fmt.Sprintf("GET .../profiles/{type}:{value}/external_ids for %s requests over %s identifiers drawn at random from the graph's %s, %s each waiting for its answer, %s.",
		thousands(float64(res.Requests)), thousands(float64(len(timed))), thousands(float64(graphIDs)), clientsText(c),
		warmUpText(warmed, len(warm), "identifiers, none of which a timed series asks for"))
	r.addLookup(c, res, method+used+r.readProblems(res))
}

// addLookup adds the figures of one series of lookups.
func (r *runner) addLookup(c int, res readResult, method string) {
	st := res.Latency.stats()
	r.logf("lookups: p50 %.2f ms, p99 %.2f ms, %.0f requests/s, %d failed", st.P50, st.P99, res.rate(), res.Failed)
	name := fmt.Sprintf("external_ids, %d clients", c)
	if c == 1 {
		name = "external_ids, 1 client"
	}
	key := fmt.Sprintf("lookup.c%d", c)
	r.rep.add(Figure{Key: key + ".p50", Section: "Lookups", Name: name + ", p50", Value: st.P50, Unit: "ms", Method: method})
	f := r.rep.add(Figure{Key: key + ".p99", Section: "Lookups", Name: name + ", p99", Value: st.P99, Unit: "ms", Method: "same requests."})
	if c == 16 {
		f.target(false, 5, "ms")
		f.Note = r.sizeNote()
	}
	r.rep.add(Figure{Key: key + ".max", Section: "Lookups", Name: name + ", max", Value: st.Max, Unit: "ms", Method: "same requests."})
	r.rep.add(Figure{Key: key + ".rps", Section: "Lookups", Name: name + ", throughput", Value: res.rate(), Unit: "requests/s", Method: "requests ÷ wall time."})
}

func (r *runner) readProblems(res readResult) string {
	s := ""
	if res.Failed > 0 {
		s += fmt.Sprintf(" %d requests failed (first: %s).", res.Failed, tailOf(res.Problem, 200))
	}
	if res.Stopped {
		s += fmt.Sprintf(" Stopped by the %s phase limit.", r.o.PhaseTimeout)
	}
	return s
}
