package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
)

// ingestResult is one timed ingestion.
type ingestResult struct {
	Clients  int
	Events   int // events in batches answered 200
	Requests int
	Failed   int // requests not answered 200
	Problem  string
	Took     time.Duration
	Latency  latency
	Stopped  bool   // the phase timeout cut it short
	Writer   string // what /metrics says of the group commit
	CPU      string // the processes' CPU time
}

func (r ingestResult) rate() float64 {
	if r.Took <= 0 {
		return 0
	}
	return float64(r.Events) / r.Took.Seconds()
}

// batchJob is one POST /v1/batch body.
type batchJob struct {
	writeKey string
	body     []byte
	events   int
}

// appName finds context.app.name in an event line without decoding it
// (Generate writes it as the first key of context.app); it decodes the line
// when the fast path fails.
func appName(line []byte) string {
	const key = `"app":{"name":"`
	if i := bytes.Index(line, []byte(key)); i >= 0 {
		rest := line[i+len(key):]
		if j := bytes.IndexByte(rest, '"'); j >= 0 && bytes.IndexByte(rest[:j], '\\') < 0 {
			return string(rest[:j])
		}
	}
	var e struct {
		Context struct {
			App struct {
				Name string `json:"name"`
			} `json:"app"`
		} `json:"context"`
	}
	_ = json.Unmarshal(line, &e)
	return e.Context.App.Name
}

// batches reads up to limit events of file and sends them as batch bodies
// of size events, one source per body, keeping each source's order.
func batches(ctx context.Context, file string, limit, size int, keys map[string]string, out chan<- batchJob) error {
	defer close(out)
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	pending := map[string]*bytes.Buffer{}
	counts := map[string]int{}
	flush := func(src string) bool {
		b := pending[src]
		if b == nil || counts[src] == 0 {
			return true
		}
		b.WriteString("]}")
		job := batchJob{writeKey: keys[src], body: b.Bytes(), events: counts[src]}
		pending[src], counts[src] = nil, 0
		select {
		case out <- job:
			return true
		case <-ctx.Done():
			return false
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), ingest.MaxLineBytes)
	n := 0
	for n < limit && sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		n++
		src, ok := SourceOf(appName(line))
		if !ok {
			return idgraph.Errorf(idgraph.EINVALID, "%s: event %d names no known app", file, n)
		}
		b := pending[src]
		if b == nil {
			b = bytes.NewBufferString(`{"batch":[`)
			pending[src] = b
		} else {
			b.WriteByte(',')
		}
		b.Write(line)
		counts[src]++
		if counts[src] == size && !flush(src) {
			return ctx.Err()
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, a := range Apps {
		if !flush(a.Source) {
			return ctx.Err()
		}
	}
	return nil
}

// ingestHTTP sends up to limit events of file to POST /v1/batch from
// clients concurrent clients, each posting one batch at a time and waiting
// for its answer (200 once committed). The clock runs from the first
// request to the last answer.
func ingestHTTP(ctx context.Context, client *http.Client, base, file string, keys map[string]string, limit, clients, size int) (ingestResult, error) {
	res := ingestResult{Clients: clients}
	jobs := make(chan batchJob, clients)
	feedErr := make(chan error, 1)
	go func() { feedErr <- batches(ctx, file, limit, size, keys, jobs) }()

	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs {
				t0 := time.Now()
				status, msg, err := postBatch(ctx, client, base, job)
				d := time.Since(t0)
				mu.Lock()
				res.Requests++
				res.Latency = append(res.Latency, d)
				if err == nil && status == http.StatusOK {
					res.Events += job.events
				} else {
					res.Failed++
					if res.Problem == "" {
						res.Problem = fmt.Sprintf("status %d %s %v", status, msg, err)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Took = time.Since(start)
	err := <-feedErr
	if ctx.Err() != nil {
		res.Stopped = true
		return res, nil
	}
	return res, err
}

func postBatch(ctx context.Context, client *http.Client, base string, job batchJob) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/batch", bytes.NewReader(job.body))
	if err != nil {
		return 0, "", err
	}
	req.SetBasicAuth(job.writeKey, "")
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, string(body), nil
	}
	return res.StatusCode, "", nil
}
