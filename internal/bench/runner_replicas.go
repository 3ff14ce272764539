package bench

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The replica comparison (issue 12): one space's stream through 1, 2, ...
// Options.Replicas idgraph serve processes on the same Neo4j, in one run,
// each into a fresh space; then what each space holds, and idgraph check.

// replicaClients is the clients that spread the stream across the
// replicas, as in the measurement.
const replicaClients = 12

// runReplicas describes the setting, writes the workload and compares
// 1 to Options.Replicas replicas.
func (r *runner) runReplicas(ctx context.Context) error {
	o := r.o
	if err := r.prepare(ctx); err != nil {
		return err
	}
	keys := []string{"warm"}
	for n := 1; n <= o.Replicas; n++ {
		keys = append(keys, fmt.Sprintf("r%d", n))
	}
	if err := r.configureSpaces(keys, false); err != nil {
		return err
	}
	sent, err := sentKeys(r.events, o.Events)
	if err != nil {
		return err
	}
	if err := r.warmReplica(ctx); err != nil {
		return err
	}
	for n := 1; n <= o.Replicas; n++ {
		if err := r.replicaRun(ctx, n, sent); err != nil {
			return err
		}
	}
	return nil
}

// warmReplica sends the first tenth of the workload (2,000 events at
// most) through one replica into a space of its own, untimed, so that
// Neo4j has planned the write path's queries and warmed its caches before
// the first timed run: else one replica, measured first, pays for it.
func (r *runner) warmReplica(ctx context.Context) error {
	n := warmEvents(r.o.Events)
	s, err := startServer(ctx, r.o.Binary, r.env)
	if err != nil {
		return err
	}
	r.logf("replicas: warm-up, %d events through 1 replica into %s", n, r.spaces["warm"].id)
	pctx, cancel := r.phase(ctx)
	_, err = ingestSpread(pctx, r.client, []string{"http://" + s.addr}, replicaAttempts, r.events, r.spaces["warm"].keys, n, replicaClients, r.o.BatchSize)
	cancel()
	if _, serr := s.stop(); err == nil {
		err = serr
	}
	return err
}

// warmEvents is how many of a workload's events the warm-up sends.
func warmEvents(events int) int { return min(2000, max(events/10, 1)) }

// replicaRun sends the workload through n replicas into space rn, counts
// what the space holds against the sent events, and checks it.
func (r *runner) replicaRun(ctx context.Context, n, sent int) error {
	sp := r.spaces[fmt.Sprintf("r%d", n)]
	var srvs []*server
	defer func() {
		for _, s := range srvs {
			_, _ = s.stop()
		}
	}()
	var bases []string
	pids := map[string]int{"Neo4j": r.neo4j, "load generator": os.Getpid()}
	for i := range n {
		s, err := startServer(ctx, r.o.Binary, r.env)
		if err != nil {
			return err
		}
		srvs = append(srvs, s)
		bases = append(bases, "http://"+s.addr)
		pids[fmt.Sprintf("idgraph %d", i+1)] = s.pid()
	}
	before, err := r.scrapeAll(ctx, bases, sp.token)
	if err != nil {
		return err
	}
	r.logf("replicas: %d events through %d replicas from %d clients into %s", r.o.Events, n, replicaClients, sp.id)
	cpu := startCPU(pids)
	pctx, cancel := r.phase(ctx)
	res, err := ingestSpread(pctx, r.client, bases, replicaAttempts, r.events, sp.keys, r.o.Events, replicaClients, r.o.BatchSize)
	cancel()
	res.CPU = cpu.Stop()
	if err != nil {
		return err
	}
	after, err := r.scrapeAll(ctx, bases, sp.token)
	if err != nil {
		return err
	}
	res.Writer = writerSummary(before, after)
	for _, s := range srvs {
		if _, err := s.stop(); err != nil {
			return err
		}
	}
	srvs = nil
	stored, distinct, err := countEvents(ctx, r, sp.id)
	if err != nil {
		return err
	}
	lost, twice := sent-distinct, stored-distinct
	r.logf("replicas: %d: %.0f events/s, %d retried, %d abandoned; %d lost, %d stored twice", n, res.rate(), res.Retries, res.Abandoned, lost, twice)
	_, out, errOut, cerr := runCommand(ctx, r.o.Binary, r.env, "check", "-space", sp.id)
	checked := lastLine(out)
	if cerr != nil && !strings.Contains(checked, "violations") {
		return fmt.Errorf("idgraph check: %v\n%s", cerr, tailOf(errOut, 2000))
	}
	r.addReplicas(n, res, sent, lost, twice, checked, cerr == nil)
	return nil
}

// scrapeAll adds up the /metrics of every replica.
func (r *runner) scrapeAll(ctx context.Context, bases []string, token string) (metrics, error) {
	all := metrics{}
	for _, b := range bases {
		m, err := scrapeMetrics(ctx, r.client, b, token)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			all[k] += v
		}
	}
	return all, nil
}

// countEvents returns how many events space holds, and how many distinct
// (source, message id) pairs among them.
func countEvents(ctx context.Context, r *runner, space string) (int, int, error) {
	res, err := r.db.ReadQuery(ctx, "count events", query("count_events"), map[string]any{"space": space})
	if err != nil {
		return 0, 0, err
	}
	if len(res.Records) != 1 {
		return 0, 0, fmt.Errorf("count_events returned %d rows", len(res.Records))
	}
	events, _, err := neo4j.GetRecordValue[int64](res.Records[0], "events")
	if err != nil {
		return 0, 0, err
	}
	distinct, _, err := neo4j.GetRecordValue[int64](res.Records[0], "distinct_events")
	return int(events), int(distinct), err
}

// addReplicas adds the figures of one replica run: its rate, its ratio to
// one replica's, the events lost and stored twice, and check.
func (r *runner) addReplicas(n int, res spreadResult, sent, lost, twice int, checked string, clean bool) {
	replicas := fmt.Sprintf("%d replicas", n)
	if n == 1 {
		replicas = "1 replica"
	}
	method := fmt.Sprintf("%s events (%s distinct source and message ids) in batches of %d events of one source, by %d clients each waiting for its 200; the k-th batch goes to replica k mod %d, and a batch that fails goes to the next replica after a jittered pause (10 ms doubling, at most %d tries); events answered 200 ÷ wall time; a fresh space, the replicas started for this run and stopped after it, after an untimed warm-up (the first %s events through 1 replica into a space of its own).",
		thousands(float64(r.o.Events)), thousands(float64(sent)), r.o.BatchSize, replicaClients, n, replicaAttempts, thousands(float64(warmEvents(r.o.Events))))
	method += fmt.Sprintf(" %d batches sent again, %d given up.", res.Retries, res.Abandoned)
	if res.Problem != "" {
		method += fmt.Sprintf(" First failure: %s.", tailOf(res.Problem, 200))
	}
	if res.Stopped {
		method += fmt.Sprintf(" Stopped by the %s phase limit.", r.o.PhaseTimeout)
	}
	method += res.Writer + res.CPU
	r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d", n), Section: "Replicas", Name: "POST /v1/batch, " + replicas,
		Value: res.rate(), Unit: "events/s", Method: method})
	if one, ok := r.rep.Figure("replicas.r1"); ok && n > 1 && one.Value > 0 {
		f := r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d.ratio", n), Section: "Replicas", Name: replicas + " ÷ 1 replica",
			Value: res.rate() / one.Value, Unit: "ratio", Method: fmt.Sprintf("the rate through %s ÷ the rate through 1, same events, same run.", replicas)})
		f.target(true, 0.9, "ratio")
	}
	f := r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d.lost", n), Section: "Replicas", Name: replicas + ", events lost",
		Value: float64(lost), Unit: "", Method: "distinct (source, message id) pairs sent that the space does not hold afterwards."})
	f.target(false, 0, "")
	f = r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d.twice", n), Section: "Replicas", Name: replicas + ", events stored twice",
		Value: float64(twice), Unit: "", Method: "Event nodes of the space beyond one per (source, message id)."})
	f.target(false, 0, "")
	violations := 0.0
	if !clean {
		violations = 1
	}
	f = r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d.check", n), Section: "Replicas", Name: replicas + ", idgraph check failed",
		Value: violations, Unit: "", Method: fmt.Sprintf("1 when `idgraph check -space S` exits non-zero afterwards, else 0; it printed %q.", tailOf(checked, 300))})
	f.target(false, 0, "")
}
