package bench

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// metrics is a scrape of idgraph's /metrics: each metric's value summed over
// its label sets ("name" for counters and gauges, "name_sum" and
// "name_count" for histograms).
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
	m := metrics{}
	sc := bufio.NewScanner(res.Body)
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
			name = name[:j]
		}
		m[name] += v
	}
	return m, sc.Err()
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
	return s + "."
}
