package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// metrics is a scrape of idgraph's /metrics: each metric's value summed over
// its label sets ("name" for counters and gauges, "name_sum" and
// "name_count" for histograms), and each series' own value under its name
// with its labels as the server wrote them (`name{op="resolve events"}`).
type metrics map[string]float64

// scrapeMetrics reads base/metrics, authenticated with an access token (the
// HTTP Basic username) in case the server asks for one.
func scrapeMetrics(ctx context.Context, client *http.Client, base, token string) (metrics, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(token, "")
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /metrics: status %d", res.StatusCode)
	}
	return readMetrics(res.Body)
}

// readMetrics reads a /metrics text (Prometheus' text format) into metrics.
func readMetrics(r io.Reader) (metrics, error) {
	m := metrics{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		name := line[:i]
		if j := strings.IndexByte(name, '{'); j >= 0 {
			m[name] += v
			name = name[:j]
		}
		m[name] += v
	}
	return m, sc.Err()
}

// TransactionSplit says where the ingest write transactions' time went, as
// the ingest methods of BENCHMARKS.md do, from a /metrics text written since
// the counts began (api.Metrics observing a graph.DB, as in idgraph serve).
func TransactionSplit(r io.Reader) (string, error) {
	m, err := readMetrics(r)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(timeSplit(metrics{}, m)), nil
}

// writerSummary describes the group commit and the Neo4j transactions
// between two scrapes.
func writerSummary(before, after metrics) string {
	d := func(k string) float64 { return after[k] - before[k] }
	batches := d("idgraph_writer_batch_events_count")
	if batches <= 0 {
		return ""
	}
	tx := d("idgraph_neo4j_transaction_duration_seconds_count")
	s := fmt.Sprintf(" Group commit (from /metrics): %.0f transactions of %.0f events and %.1f requests on average, first request queued %.0f ms on average",
		batches, d("idgraph_writer_batch_events_sum")/batches, d("idgraph_writer_batch_callers_sum")/batches,
		1000*d("idgraph_writer_queue_wait_seconds_sum")/batches)
	if tx > 0 {
		s += fmt.Sprintf("; Neo4j transactions %.0f ms on average, %.0f retried after transient errors (deadlocks)",
			1000*d("idgraph_neo4j_transaction_duration_seconds_sum")/tx, d("idgraph_neo4j_transaction_retries_total"))
	}
	return s + "." + timeSplit(before, after)
}

// timeSplit says where the ingest write transactions' time went between two
// scrapes: each statement's share (the largest by name, the others
// together), the commit's, and the rest, which is idgraph's own work
// inside the transaction (reading results, resolving, building the next
// statement's rows) and the driver's begin; "" when the server reported no
// statements.
func timeSplit(before, after metrics) string {
	const (
		op        = `op="resolve events"`
		statement = `idgraph_neo4j_statement_duration_seconds_sum{` + op + `,query="`
		commitSum = `idgraph_neo4j_commit_duration_seconds_sum{` + op + `}`
		txSum     = `idgraph_neo4j_transaction_duration_seconds_sum{` + op + `,result="`
		named     = 5
	)
	d := func(k string) float64 { return after[k] - before[k] }
	type share struct {
		query   string
		seconds float64
	}
	var shares []share
	var statements, total float64
	for k := range after {
		if q, ok := strings.CutPrefix(k, statement); ok {
			sh := share{strings.TrimSuffix(q, `"}`), d(k)}
			shares = append(shares, sh)
			statements += sh.seconds
		}
		if strings.HasPrefix(k, txSum) {
			total += d(k)
		}
	}
	if statements <= 0 || total <= 0 {
		return ""
	}
	sort.Slice(shares, func(i, j int) bool {
		if shares[i].seconds != shares[j].seconds {
			return shares[i].seconds > shares[j].seconds
		}
		return shares[i].query < shares[j].query
	})
	pct := func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x/total) }
	var parts []string
	var rest float64
	for i, sh := range shares {
		if i < named {
			parts = append(parts, "`"+sh.query+"` "+pct(sh.seconds))
		} else {
			rest += sh.seconds
		}
	}
	if len(shares) > named {
		parts = append(parts, fmt.Sprintf("the %d others %s", len(shares)-named, pct(rest)))
	}
	commit := d(commitSum)
	return fmt.Sprintf(" Where their time went (from /metrics; %.1f s in all, retries included): statements %s (%s), commits %s, the rest %s (idgraph's own work inside the transaction, between and around its statements).",
		total, pct(statements), strings.Join(parts, ", "), pct(commit), pct(total-statements-commit))
}
