package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"

	"github.com/idgraph/idgraph"
)

// explainKind is one series of explanations.
type explainKind struct {
	key, name, what string
	warmWhat        string // what the warm-up's pairs are, for the method
	warm, timed     [][2]idgraph.Identifier
}

// explains times explain for pairs within profiles and across rejected
// links, at 16 clients, each series after a warm-up over other pairs.
func (r *runner) explains(ctx context.Context, sp *benchSpace, ps *profiles) error {
	rng := rand.New(rand.NewPCG(r.o.Seed, 13))
	var multi []string
	for pid, m := range ps.members {
		if len(m) > 1 {
			multi = append(multi, pid)
		}
	}
	slices.Sort(multi)
	byWarm := deal(rng, multi, warmSize(maxWarmUp, len(multi)), len(multi))
	rejected, err := sampleRejections(ctx, r.db, sp.id, 1000+maxWarmUp)
	if err != nil {
		return err
	}
	rejParts := deal(rng, rejected, warmSize(maxWarmUp, len(rejected)), 1000)
	for _, kind := range []explainKind{
		{key: "within", name: "within a profile", what: "two random identifiers of one random profile with two or more",
			warmWhat: "pairs, from profiles no timed pair comes from",
			warm:     pairsWithin(rng, ps, byWarm[0], len(byWarm[0])), timed: pairsWithin(rng, ps, byWarm[1], min(1000, 4*len(byWarm[1])))},
		{key: "rejected", name: "across a rejected link", what: "the two ends of a standing REJECTED link (ends in two profiles)",
			warmWhat: "rejected links, none of which the timed requests ask for",
			warm:     rejParts[0], timed: rejParts[1]},
	} {
		r.explainSeries(ctx, sp, kind)
	}
	return nil
}

// pairsWithin draws n pairs of two different identifiers of one profile,
// each from a random profile of pids.
func pairsWithin(rng *rand.Rand, ps *profiles, pids []string, n int) [][2]idgraph.Identifier {
	if len(pids) == 0 {
		return nil
	}
	pairs := make([][2]idgraph.Identifier, n)
	for k := range pairs {
		m := ps.members[pids[rng.IntN(len(pids))]]
		i, j := rng.IntN(len(m)), rng.IntN(len(m)-1)
		if j >= i {
			j++
		}
		pairs[k] = [2]idgraph.Identifier{m[i], m[j]}
	}
	return pairs
}

// explainSeries warms up over kind.warm, then times explain requests over
// kind.timed from 16 clients, and adds the figures.
func (r *runner) explainSeries(ctx context.Context, sp *benchSpace, kind explainKind) {
	if len(kind.timed) == 0 {
		r.rep.note("explain %s: the graph has no such pair, so nothing was measured.", kind.name)
		return
	}
	r.logf("explain %s: 16 clients, %d requests over %d pairs", kind.name, r.o.Explains, len(kind.timed))
	base := "http://" + r.srv.addr
	urls := func(pairs [][2]idgraph.Identifier) func(int) string {
		return func(i int) string {
			p := pairs[i%len(pairs)]
			return profileURL(base, sp.id, p[0], "/explain?to="+url.QueryEscape(p[1].String()))
		}
	}
	warmed := r.warmUp(ctx, sp, 16, warmUpRequests(16, r.o.Explains), len(kind.warm), urls(kind.warm))
	qs := r.sample(ctx)
	cpu := startCPU(r.pids())
	pctx, cancel := r.phase(ctx)
	res := readLoad(pctx, r.client, sp.token, 16, r.o.Explains, urls(kind.timed))
	cancel()
	used := cpu.Stop()
	r.sampled(qs, "explain "+kind.name)
	r.rep.Failures += res.Failed
	if res.Requests > 0 {
		r.slowest[kind.key] = kind.timed[res.Slowest%len(kind.timed)]
	}
	st := res.Latency.stats()
	r.logf("explain %s: p50 %.2f ms, p99 %.2f ms, %d failed", kind.name, st.P50, st.P99, res.Failed)
	method := fmt.Sprintf("GET .../profiles/{a}/explain?to={b} for %s requests over %s pairs (%s), going round the pairs (idgraph's profile cache answers a pair asked again, the first request for it goes to Neo4j), 16 concurrent clients, %s; %.0f requests/s, max %.0f ms.",
		thousands(float64(res.Requests)), thousands(float64(len(kind.timed))), kind.what, warmUpText(warmed, len(kind.warm), kind.warmWhat), res.rate(), st.Max) + used + r.readProblems(res)
	key := "explain." + kind.key
	r.rep.add(Figure{Key: key + ".p50", Section: "Explanations", Name: kind.name + ", 16 clients, p50", Value: st.P50, Unit: "ms", Method: method})
	f := r.rep.add(Figure{Key: key + ".p99", Section: "Explanations", Name: kind.name + ", 16 clients, p99", Value: st.P99, Unit: "ms", Method: "same requests.", Note: r.sizeNote()})
	f.target(false, 25, "ms")
}
