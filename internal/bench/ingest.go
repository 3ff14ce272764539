package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
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
	err := eachEvent(file, limit, func(n int, line []byte) error {
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
		return nil
	})
	if err != nil {
		return err
	}
	for _, a := range Apps {
		if !flush(a.Source) {
			return ctx.Err()
		}
	}
	return nil
}

// eachEvent calls fn with each of the first limit events of file (its
// lines, blank ones left out), numbered from 1, until fn fails.
func eachEvent(file string, limit int, fn func(n int, line []byte) error) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), ingest.MaxLineBytes)
	n := 0
	for n < limit && sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		n++
		if err := fn(n, line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ingestHTTP sends up to limit events of file to POST /v1/batch from
// clients concurrent clients, each posting one batch at a time and waiting
// for its answer (200 once committed), never sending a batch again. The
// clock runs from the first request to the last answer.
func ingestHTTP(ctx context.Context, client *http.Client, base, file string, keys map[string]string, limit, clients, size int) (ingestResult, error) {
	res, err := ingestSpread(ctx, client, []string{base}, 1, file, keys, limit, clients, size)
	return res.ingestResult, err
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
