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

// passes is the order of the runs, by number of replicas: 1 to N, then N
// to 1, so that a load on the shared machine that rises or falls through
// the run weighs on every number of replicas alike.
func passes(replicas int) []int {
	var order []int
	for n := 1; n <= replicas; n++ {
		order = append(order, n)
	}
	for n := replicas; n >= 1; n-- {
		order = append(order, n)
	}
	return order
}

// replicaOutcome is one run through n replicas.
type replicaOutcome struct {
	res         spreadResult
	lost, twice int
	checked     string
	clean       bool
}

// runReplicas describes the setting, writes the workload and compares
// 1 to Options.Replicas replicas, each twice (passes).
func (r *runner) runReplicas(ctx context.Context) error {
	o := r.o
	if err := r.prepare(ctx); err != nil {
		return err
	}
	keys := []string{"warm"}
	order := passes(o.Replicas)
	for i, n := range order {
		keys = append(keys, fmt.Sprintf("r%d_%d", n, i))
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
	outcomes := map[int][]replicaOutcome{}
	for i, n := range order {
		out, err := r.replicaRun(ctx, n, r.spaces[fmt.Sprintf("r%d_%d", n, i)], sent)
		if err != nil {
			return err
		}
		outcomes[n] = append(outcomes[n], out)
	}
	for n := 1; n <= o.Replicas; n++ {
		r.addReplicas(n, outcomes[n], sent)
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

// replicaRun sends the workload through n replicas into sp, counts what
// the space holds against the sent events, and checks it.
func (r *runner) replicaRun(ctx context.Context, n int, sp *benchSpace, sent int) (replicaOutcome, error) {
	var out replicaOutcome
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
			return out, err
		}
		srvs = append(srvs, s)
		bases = append(bases, "http://"+s.addr)
		pids[fmt.Sprintf("idgraph %d", i+1)] = s.pid()
	}
	before, err := r.scrapeAll(ctx, bases, sp.token)
	if err != nil {
		return out, err
	}
	r.logf("replicas: %d events through %d replicas from %d clients into %s", r.o.Events, n, replicaClients, sp.id)
	cpu := startCPU(pids)
	pctx, cancel := r.phase(ctx)
	res, err := ingestSpread(pctx, r.client, bases, replicaAttempts, r.events, sp.keys, r.o.Events, replicaClients, r.o.BatchSize)
	cancel()
	res.CPU = cpu.Stop()
	if err != nil {
		return out, err
	}
	after, err := r.scrapeAll(ctx, bases, sp.token)
	if err != nil {
		return out, err
	}
	res.Writer = writerSummary(before, after)
	for _, s := range srvs {
		if _, err := s.stop(); err != nil {
			return out, err
		}
	}
	srvs = nil
	stored, distinct, err := countEvents(ctx, r, sp.id)
	if err != nil {
		return out, err
	}
	lost, twice := sent-distinct, stored-distinct
	r.logf("replicas: %d: %.0f events/s, %d retried, %d abandoned; %d lost, %d stored twice", n, res.rate(), res.Retries, res.Abandoned, lost, twice)
	_, printed, errOut, cerr := runCommand(ctx, r.o.Binary, r.env, "check", "-space", sp.id)
	checked := lastLine(printed)
	if cerr != nil && !strings.Contains(checked, "violations") {
		return out, fmt.Errorf("idgraph check: %v\n%s", cerr, tailOf(errOut, 2000))
	}
	return replicaOutcome{res: res, lost: lost, twice: twice, checked: checked, clean: cerr == nil}, nil
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

// addReplicas adds the figures of the runs through n replicas: their
// rate, its ratio to one replica's, the events lost and stored twice, and
// check.
func (r *runner) addReplicas(n int, outs []replicaOutcome, sent int) {
	replicas := fmt.Sprintf("%d replicas", n)
	if n == 1 {
		replicas = "1 replica"
	}
	var events, retries, abandoned, lost, twice, failedChecks int
	var took float64
	var rates, details, checked []string
	for _, o := range outs {
		events += o.res.Events
		took += o.res.Took.Seconds()
		retries += o.res.Retries
		abandoned += o.res.Abandoned
		lost += o.lost
		twice += o.twice
		if !o.clean {
			failedChecks++
		}
		rates = append(rates, formatValue(o.res.rate(), "events/s"))
		d := o.res.Writer + o.res.CPU
		if o.res.Problem != "" {
			d += fmt.Sprintf(" First failure: %s.", tailOf(o.res.Problem, 200))
		}
		if o.res.Stopped {
			d += fmt.Sprintf(" Stopped by the %s phase limit.", r.o.PhaseTimeout)
		}
		details = append(details, fmt.Sprintf("Run %d:%s", len(details)+1, d))
		checked = append(checked, fmt.Sprintf("%q", tailOf(o.checked, 300)))
	}
	rate := 0.0
	if took > 0 {
		rate = float64(events) / took
	}
	method := fmt.Sprintf("%s events (%s distinct source and message ids) in batches of %d events of one source, by %d clients each waiting for its 200; the k-th batch goes to replica k mod %d, and a batch that fails goes to the next replica after a jittered pause (10 ms doubling, at most %d tries); events answered 200 ÷ wall time, over %d runs into fresh spaces (%s; the runs go 1 to %d replicas and back, after an untimed warm-up of the first %s events through 1 replica), the replicas started for each run and stopped after it.",
		thousands(float64(r.o.Events)), thousands(float64(sent)), r.o.BatchSize, replicaClients, n, replicaAttempts,
		len(outs), strings.Join(rates, " and "), r.o.Replicas, thousands(float64(warmEvents(r.o.Events))))
	method += fmt.Sprintf(" %d batches sent again, %d given up. %s", retries, abandoned, strings.Join(details, " "))
	r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d", n), Section: "Replicas", Name: "POST /v1/batch, " + replicas,
		Value: rate, Unit: "events/s", Method: method})
	if one, ok := r.rep.Figure("replicas.r1"); ok && n > 1 && one.Value > 0 {
		f := r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d.ratio", n), Section: "Replicas", Name: replicas + " ÷ 1 replica",
			Value: rate / one.Value, Unit: "ratio", Method: fmt.Sprintf("the rate through %s ÷ the rate through 1, same events, same run.", replicas)})
		f.target(true, 0.9, "ratio")
	}
	f := r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d.lost", n), Section: "Replicas", Name: replicas + ", events lost",
		Value: float64(lost), Unit: "", Method: "distinct (source, message id) pairs sent that the space does not hold afterwards, over the runs."})
	f.target(false, 0, "")
	f = r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d.twice", n), Section: "Replicas", Name: replicas + ", events stored twice",
		Value: float64(twice), Unit: "", Method: "Event nodes of the space beyond one per (source, message id), over the runs."})
	f.target(false, 0, "")
	f = r.rep.add(Figure{Key: fmt.Sprintf("replicas.r%d.check", n), Section: "Replicas", Name: replicas + ", idgraph check failed",
		Value: float64(failedChecks), Unit: "", Method: fmt.Sprintf("the runs after which `idgraph check -space S` exited non-zero; it printed %s.", strings.Join(checked, " and "))})
	f.target(false, 0, "")
}
