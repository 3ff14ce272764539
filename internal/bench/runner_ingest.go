package bench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// The ingest phases: POST /v1/batch at each number of clients, idgraph
// load, and the floor.

// ingest sends the workload through POST /v1/batch with each number of
// clients into a fresh space, sampling the server's memory.
func (r *runner) ingest(ctx context.Context) error {
	mem := sampleMemory(r.srv.pid(), 50*time.Millisecond)
	var last ingestResult
	for _, c := range r.o.Clients {
		key := fmt.Sprintf("c%d", c)
		n := r.o.RateEvents
		if key == r.mainKey() {
			n = r.o.Events
		}
		// What finding shared identifiers costs: the same events at the
		// same clients, by turns into spaces whose rules say
		// segment_compatible: true and spaces with the default rules,
		// segment_compatible first and last (A B A B A), before the largest
		// run grows the database; the default rules' mean rate is compared
		// with segment_compatible's, so that neither order nor warm-up nor
		// one run's luck favours one side.
		if key == r.sharedCostKey() {
			res, err := r.sharedCost(ctx, key, c, n)
			if err != nil {
				mem.Stop()
				return err
			}
			last = res
			continue
		}
		res, err := r.ingestRun(ctx, key, c, n)
		if err != nil {
			mem.Stop()
			return err
		}
		r.addIngest(res, n)
		last = res
	}
	peak := mem.Stop()
	_, hwm, err := memory(r.srv.pid())
	if err != nil {
		return err
	}
	f := r.rep.add(Figure{
		Key: "memory.peak", Section: "Memory", Name: "idgraph serve peak resident memory during ingest",
		Value: float64(max(hwm, peak)) / (1 << 20), Unit: "MB",
		Method: fmt.Sprintf("VmHWM of the idgraph serve child process read from /proc after the HTTP ingest runs (VmRSS sampled every 50 ms peaked at %.0f MB); the largest run sent %d events.",
			float64(peak)/(1<<20), last.Events),
	})
	f.target(false, 256, "MB")
	return nil
}

// segmentSuffix names the space of a run whose rules are segment_compatible
// (shared identifiers off), againSuffix the default rules' runs after the
// first, of the shared cost's turns.
const (
	segmentSuffix = "_segment"
	againSuffix   = "_again"
)

// sharedRounds is how many runs with the default rules the shared cost
// takes; segment_compatible takes one more, before each and after the last.
const sharedRounds = 2

// sharedCostTurns are the spaces of the shared cost's runs, in the order
// they run: segment_compatible, then the default rules (key's own space the
// first time), sharedRounds times, and segment_compatible once more.
func sharedCostTurns(key string) []string {
	var turns []string
	for i := 1; i <= sharedRounds+1; i++ {
		turns = append(turns, fmt.Sprintf("%s%s%d", key, segmentSuffix, i))
		switch {
		case i == 1:
			turns = append(turns, key)
		case i <= sharedRounds:
			turns = append(turns, fmt.Sprintf("%s%s%d", key, againSuffix, i))
		}
	}
	return turns
}

// sharedCost runs the shared cost's turns at c clients, n events each. The
// first default run, in key's own space, is the c-client ingest figure; it
// returns it.
func (r *runner) sharedCost(ctx context.Context, key string, c, n int) (ingestResult, error) {
	var defs, segs []ingestResult
	for _, turn := range sharedCostTurns(key) {
		res, err := r.ingestRun(ctx, turn, c, n)
		if err != nil {
			return ingestResult{}, err
		}
		if isSegment(turn) {
			segs = append(segs, res)
			continue
		}
		if turn == key {
			r.addIngest(res, n)
		}
		defs = append(defs, res)
	}
	r.addSharedCost(defs, segs, n)
	return defs[0], nil
}

// isSegment says whether the space of key has segment_compatible rules.
func isSegment(key string) bool { return strings.Contains(key, segmentSuffix) }

// sharedCostKey is the run repeated with segment_compatible: true, the
// largest but the main one (c4 by default); "" when there is only one.
func (r *runner) sharedCostKey() string {
	if len(r.o.Clients) < 2 {
		return ""
	}
	return fmt.Sprintf("c%d", r.o.Clients[len(r.o.Clients)-2])
}

// ingestRun sends n events with c clients into the space of key and
// returns what it measured, the writer's metrics and CPU included.
func (r *runner) ingestRun(ctx context.Context, key string, c, n int) (ingestResult, error) {
	r.logf("ingest: POST /v1/batch, %d clients, %d events into %s", c, n, r.spaces[key].id)
	before, err := scrapeMetrics(ctx, r.client, "http://"+r.srv.addr, r.spaces[key].token)
	if err != nil {
		return ingestResult{}, err
	}
	var qs *querySampler
	if key == r.mainKey() {
		qs = r.sample(ctx)
	}
	cpu := startCPU(r.pids())
	pctx, cancel := r.phase(ctx)
	res, err := ingestHTTP(pctx, r.client, "http://"+r.srv.addr, r.events, r.spaces[key].keys, n, c, r.o.BatchSize)
	cancel()
	res.CPU = cpu.Stop()
	r.sampled(qs, fmt.Sprintf("POST /v1/batch at %d clients", c))
	if err != nil {
		return res, err
	}
	after, err := scrapeMetrics(ctx, r.client, "http://"+r.srv.addr, r.spaces[key].token)
	if err != nil {
		return res, err
	}
	res.Writer = writerSummary(before, after)
	r.logf("ingest: %d events in %s: %.0f events/s, %d requests failed.%s", res.Events, res.Took.Round(time.Millisecond), res.rate(), res.Failed, res.Writer)
	r.rep.Failures += res.Failed
	return res, nil
}

// addSharedCost reports the runs of the shared cost's turns (the first
// default run is reported as the c-client ingest figure already) and the
// default rules' mean rate as a ratio of segment_compatible's (issue 10:
// within 10%).
func (r *runner) addSharedCost(defs, segs []ingestResult, n int) {
	c := defs[0].Clients
	var def, seg float64
	for i, res := range defs {
		def += res.rate()
		if i == 0 {
			continue
		}
		r.rep.add(Figure{Key: fmt.Sprintf("ingest.http.c%d.again.%d", c, i+1), Section: "Ingest",
			Name:  fmt.Sprintf("POST /v1/batch, %d clients, default rules, turn %d of %d", c, i+1, len(defs)),
			Value: res.rate(), Unit: "events/s",
			Method: fmt.Sprintf("as POST /v1/batch at %s, its turn %d with the default rules, on the same %s of %s events, into a fresh space.",
				clientsText(c), i+1, thousands(float64(res.Events)), thousands(float64(n))) + res.Writer + res.CPU})
	}
	for i, res := range segs {
		seg += res.rate()
		when := fmt.Sprintf("before the default rules' turn %d", i+1)
		if i >= len(defs) {
			when = "after the default rules' last"
		}
		r.rep.add(Figure{Key: fmt.Sprintf("ingest.http.c%d.segment_compatible.%d", c, i+1), Section: "Ingest",
			Name:  fmt.Sprintf("POST /v1/batch, %d clients, segment_compatible, turn %d of %d", c, i+1, len(segs)),
			Value: res.rate(), Unit: "events/s",
			Method: fmt.Sprintf("as POST /v1/batch at %s, on the same %s of %s events, into a fresh space whose rules say segment_compatible: true (shared identifiers neither found nor kept from joining); its turn %d, %s.",
				clientsText(c), thousands(float64(res.Events)), thousands(float64(n)), i+1, when) + res.Writer + res.CPU})
	}
	f := r.rep.add(Figure{Key: "ingest.shared_cost", Section: "Ingest",
		Name:  fmt.Sprintf("shared identifiers: default rules ÷ segment_compatible, %d clients", c),
		Value: rateRatio(def/float64(len(defs)), seg/float64(len(segs))), Unit: "ratio",
		Method: fmt.Sprintf("the mean rate of the %d runs with the default rules (shared identifiers found and kept from joining: POST /v1/batch at %s above, and its other turns) ÷ the mean rate of the %d segment_compatible runs, run by turns, segment_compatible first and last, same events, same clients.",
			len(defs), clientsText(c), len(segs))})
	f.target(true, 0.9, "ratio")
}

// rateRatio is a ÷ b, 0 when b is.
func rateRatio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func (r *runner) addIngest(res ingestResult, n int) {
	c := res.Clients
	client := "clients"
	if c == 1 {
		client = "client"
	}
	method := fmt.Sprintf("%s of %s events sent in batches of %d events of one source, by %s each waiting for its 200 (sent once committed); events answered 200 ÷ wall time from the first request to the last answer; a fresh space.",
		thousands(float64(res.Events)), thousands(float64(n)), r.o.BatchSize, clientsText(c))
	method += res.Writer + res.CPU
	if res.Failed > 0 {
		method += fmt.Sprintf(" %d of %d requests failed (first: %s).", res.Failed, res.Requests, tailOf(res.Problem, 200))
	}
	if res.Stopped {
		method += fmt.Sprintf(" Stopped by the %s phase limit.", r.o.PhaseTimeout)
	}
	f := r.rep.add(Figure{Key: fmt.Sprintf("ingest.http.c%d", c), Section: "Ingest", Name: fmt.Sprintf("POST /v1/batch, %d %s", c, client),
		Value: res.rate(), Unit: "events/s", Method: method})
	if fmt.Sprintf("c%d", c) == r.mainKey() {
		f.target(true, 10000, "events/s")
	}
	st := res.Latency.stats()
	r.rep.add(Figure{Key: fmt.Sprintf("ingest.http.c%d.p50", c), Section: "Ingest", Name: fmt.Sprintf("batch request latency p50, %d %s", c, client),
		Value: st.P50, Unit: "ms", Method: fmt.Sprintf("over %d requests of %d events.", st.N, r.o.BatchSize)})
	r.rep.add(Figure{Key: fmt.Sprintf("ingest.http.c%d.p99", c), Section: "Ingest", Name: fmt.Sprintf("batch request latency p99, %d %s", c, client),
		Value: st.P99, Unit: "ms", Method: fmt.Sprintf("over the same requests (max %.0f ms).", st.Max)})
}

// load times idgraph load on the rate prefix, one process per source.
func (r *runner) load(ctx context.Context) error {
	sp := r.spaces["load"]
	files, counts, err := splitBySource(r.events, r.o.Dir, r.o.RateEvents)
	if err != nil {
		return err
	}
	r.logf("ingest: idgraph load, %d events into %s", r.o.RateEvents, sp.id)
	pctx, cancel := r.phase(ctx)
	defer cancel()
	res, err := ingestLoad(pctx, r.o.Binary, r.env, sp.id, files, counts)
	if err != nil {
		return err
	}
	rate := float64(res.Events) / res.Took.Seconds()
	r.logf("ingest: idgraph load: %d events in %s: %.0f events/s", res.Events, res.Took.Round(time.Millisecond), rate)
	method := fmt.Sprintf("`idgraph load -space S -source SRC -batch 500 FILE` for the first %s events split by source, the %d processes side by side; events ÷ wall time from start to the last exit (process start, connection and schema check included); peak resident memory of a load process %.0f MB.",
		thousands(float64(res.Events)), len(files), float64(res.MaxRSS)/(1<<20))
	if res.Loaded != res.Events {
		method += fmt.Sprintf(" The processes reported %d events loaded or duplicate.", res.Loaded)
	}
	r.rep.add(Figure{Key: "ingest.load", Section: "Ingest", Name: "idgraph load", Value: rate, Unit: "events/s", Method: method})
	return nil
}

// floor writes the main run's identifiers and edges with plain UNWIND ...
// MERGE into a space of its own, and compares.
func (r *runner) floor(ctx context.Context) error {
	space := r.o.SpacePrefix + "_floor"
	batches, err := prepareFloor(r.events, r.o.Events, r.o.FloorBatch)
	if err != nil {
		return err
	}
	ids, edges := 0, 0
	for _, b := range batches {
		ids += len(b.ids)
		edges += len(b.edges)
	}
	r.logf("floor: %d events as %d transactions into %s", r.o.Events, len(batches), space)
	pctx, cancel := r.phase(ctx)
	defer cancel()
	cpu := startCPU(map[string]int{"Neo4j": r.neo4j, "load generator": os.Getpid()})
	took, err := writeFloor(pctx, r.db, space, batches, r.o.FloorWriters)
	used := cpu.Stop()
	if err != nil {
		return err
	}
	rate := float64(r.o.Events) / took.Seconds()
	r.logf("floor: %s: %.0f events/s", took.Round(time.Millisecond), rate)
	r.rep.add(Figure{Key: "ingest.floor", Section: "Ingest", Name: "floor: plain UNWIND ... MERGE", Value: rate, Unit: "events/s",
		Method: fmt.Sprintf("the %s events' identifiers (default extraction, blocked values dropped) and star edges, %d events of one source per transaction (%s identifier rows, %s edge rows in all, sorted), MERGEd by %d concurrent writers from the bench process, taking the batches in file order from one queue; no rules, events or profiles; a separate space, same run, prepared before the clock starts.",
			thousands(float64(r.o.Events)), r.o.FloorBatch, thousands(float64(ids)), thousands(float64(edges)), r.o.FloorWriters) + used})
	if main, ok := r.rep.Figure("ingest.http." + r.mainKey()); ok && rate > 0 {
		f := r.rep.add(Figure{Key: "ingest.ratio", Section: "Ingest", Name: "idgraph ÷ floor", Value: main.Value / rate, Unit: "ratio",
			Method: fmt.Sprintf("POST /v1/batch at %s clients ÷ the floor, same events.", strings.TrimPrefix(r.mainKey(), "c"))})
		f.target(true, 0.5, "ratio")
	}
	return nil
}
