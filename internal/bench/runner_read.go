package bench

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
)

// The read phases: external_ids lookups, explanations, and PROFILE of the
// hot queries.

// lookups times external_ids for random identifiers of the main graph.
func (r *runner) lookups(ctx context.Context, sp *benchSpace, ps *profiles) error {
	if len(ps.ids) == 0 {
		return fmt.Errorf("space %s holds no profiles to look up", sp.id)
	}
	rng := rand.New(rand.NewPCG(r.o.Seed, 11))
	sample := make([]idgraph.Identifier, 1000)
	for i := range sample {
		sample[i] = ps.ids[rng.IntN(len(ps.ids))]
	}
	base := "http://" + r.srv.addr
	for _, c := range []int{1, 16} {
		n := r.o.Lookups
		if c == 1 {
			n = max(1, n/4)
		}
		r.logf("lookups: external_ids, %d clients, %d requests", c, n)
		var qs *querySampler
		if c > 1 {
			qs = r.sample(ctx)
		}
		lookupURL := func(i int) string { return profileURL(base, sp.id, sample[i%len(sample)], "/external_ids") }
		r.warmUp(ctx, sp, c, n, lookupURL)
		cpu := startCPU(r.pids())
		pctx, cancel := r.phase(ctx)
		res := readLoad(pctx, r.client, sp.token, c, n, lookupURL)
		cancel()
		used := cpu.Stop()
		r.sampled(qs, fmt.Sprintf("external_ids at %d clients", c))
		r.rep.Failures += res.Failed
		if c > 1 && res.Requests > 0 {
			id := sample[res.Slowest%len(sample)]
			r.slowest["find_profile"] = [2]idgraph.Identifier{id, id}
		}
		st := res.Latency.stats()
		r.logf("lookups: p50 %.2f ms, p99 %.2f ms, %.0f requests/s, %d failed", st.P50, st.P99, res.rate(), res.Failed)
		method := fmt.Sprintf("GET .../profiles/{type}:{value}/external_ids for %s requests over 1,000 identifiers drawn at random from the graph's %s, %s each waiting for its answer, after an untimed warm-up of a tenth as many.",
			thousands(float64(res.Requests)), thousands(float64(len(ps.ids))), clientsText(c))
		method += used + r.readProblems(res)
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
	return nil
}

// warmUp sends a tenth of a measurement's requests (at most 200), untimed,
// from its own end of the sample, so that Neo4j has planned the queries and
// both processes have warmed up before the clock starts.
func (r *runner) warmUp(ctx context.Context, sp *benchSpace, clients, n int, urls func(int) string) {
	w := min(200, max(clients, n/10))
	pctx, cancel := r.phase(ctx)
	defer cancel()
	readLoad(pctx, r.client, sp.token, clients, w, func(i int) string { return urls(n + i) })
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

// explains times explain for pairs within profiles and across rejected
// links, at 16 clients.
func (r *runner) explains(ctx context.Context, sp *benchSpace, ps *profiles) error {
	rng := rand.New(rand.NewPCG(r.o.Seed, 13))
	var multi []string
	for pid, m := range ps.members {
		if len(m) > 1 {
			multi = append(multi, pid)
		}
	}
	slices.Sort(multi)
	var within [][2]idgraph.Identifier
	for range min(1000, 4*len(multi)) {
		m := ps.members[multi[rng.IntN(len(multi))]]
		i, j := rng.IntN(len(m)), rng.IntN(len(m)-1)
		if j >= i {
			j++
		}
		within = append(within, [2]idgraph.Identifier{m[i], m[j]})
	}
	rejected, err := sampleRejections(ctx, r.db, sp.id, 1000)
	if err != nil {
		return err
	}
	base := "http://" + r.srv.addr
	for _, kind := range []struct {
		key, name, what string
		pairs           [][2]idgraph.Identifier
	}{
		{"within", "within a profile", "two random identifiers of one random profile with two or more", within},
		{"rejected", "across a rejected link", "the two ends of a standing REJECTED link (ends in two profiles)", rejected},
	} {
		if len(kind.pairs) == 0 {
			r.rep.note("explain %s: the graph has no such pair, so nothing was measured.", kind.name)
			continue
		}
		pairs := kind.pairs
		r.logf("explain %s: 16 clients, %d requests over %d pairs", kind.name, r.o.Explains, len(pairs))
		qs := r.sample(ctx)
		explainURL := func(i int) string {
			p := pairs[i%len(pairs)]
			return profileURL(base, sp.id, p[0], "/explain?to="+url.QueryEscape(p[1].String()))
		}
		r.warmUp(ctx, sp, 16, r.o.Explains, explainURL)
		cpu := startCPU(r.pids())
		pctx, cancel := r.phase(ctx)
		res := readLoad(pctx, r.client, sp.token, 16, r.o.Explains, explainURL)
		cancel()
		used := cpu.Stop()
		r.sampled(qs, "explain "+kind.name)
		r.rep.Failures += res.Failed
		if res.Requests > 0 {
			q := "find_path"
			if kind.key == "rejected" {
				q = "find_rejections"
			}
			r.slowest[q] = pairs[res.Slowest%len(pairs)]
		}
		st := res.Latency.stats()
		r.logf("explain %s: p50 %.2f ms, p99 %.2f ms, %d failed", kind.name, st.P50, st.P99, res.Failed)
		method := fmt.Sprintf("GET .../profiles/{a}/explain?to={b} for %s requests over %d pairs (%s), 16 concurrent clients, after an untimed warm-up of a tenth as many; %.0f requests/s, max %.0f ms.",
			thousands(float64(res.Requests)), len(pairs), kind.what, res.rate(), st.Max) + used + r.readProblems(res)
		key := "explain." + kind.key
		r.rep.add(Figure{Key: key + ".p50", Section: "Explanations", Name: kind.name + ", 16 clients, p50", Value: st.P50, Unit: "ms", Method: method})
		f := r.rep.add(Figure{Key: key + ".p99", Section: "Explanations", Name: kind.name + ", 16 clients, p99", Value: st.P99, Unit: "ms", Method: "same requests.", Note: r.sizeNote()})
		f.target(false, 25, "ms")
	}
	return nil
}

// profile runs PROFILE on every statement of the write path for one batch
// (rolled back) and on the read queries of the slowest lookup and
// explanations.
func (r *runner) profile(ctx context.Context, sp *benchSpace) error {
	r.logf("profiling queries")
	f, err := os.Open(r.events)
	if err != nil {
		return err
	}
	var batch []idgraph.Event
	source := Apps[0].Source
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), ingest.MaxLineBytes)
	for sc.Scan() && len(batch) < ingest.DefaultMaxBatch {
		if src, _ := SourceOf(appName(sc.Bytes())); src != source {
			continue
		}
		e, err := idgraph.ParseEvent(sc.Bytes(), time.Now())
		if err != nil {
			continue
		}
		e.MessageID += "-profile"
		batch = append(batch, e)
	}
	f.Close()
	space := idgraph.Space{ID: sp.id, Rules: idgraph.DefaultRules()}
	plans, err := profileWritePath(ctx, r.db, space, idgraph.Source{ID: source}, batch)
	if err != nil {
		// A diagnostic: the figures stand without it.
		r.rep.note("PROFILE of the write path failed: %v", err)
	}
	r.rep.Plans = append(r.rep.Plans, plans...)
	params := func(a, b idgraph.Identifier) map[string]any {
		return map[string]any{"space": sp.id, "type": a.Type, "value": a.Value,
			"from_type": a.Type, "from_value": a.Value, "to_type": b.Type, "to_value": b.Value}
	}
	for _, q := range []struct{ name, what string }{
		{"find_profile", "the identifier of the slowest external_ids request at 16 clients"},
		{"find_owners", "the pair of the slowest explain within a profile"},
		{"find_path", "the pair of the slowest explain within a profile"},
		{"find_rejections", "the pair of the slowest explain across a rejected link"},
	} {
		key := q.name
		if key == "find_owners" {
			key = "find_path"
		}
		pair, ok := r.slowest[key]
		if !ok {
			continue
		}
		what := fmt.Sprintf("%s: %s", q.what, pair[0])
		if q.name != "find_profile" {
			what += " → " + pair[1].String()
		}
		p, err := profileRead(ctx, r.db, q.name, what, params(pair[0], pair[1]))
		if err != nil {
			r.rep.note("PROFILE of %s failed: %v", q.name, err)
			continue
		}
		r.rep.Plans = append(r.rep.Plans, p)
	}
	return nil
}
