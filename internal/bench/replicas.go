package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// The replica comparison's client side: one space's stream spread across
// several idgraph serve processes by clients that retry a failed batch at
// the next replica, as a load balancer in front of replicas would.

// replicaAttempts bounds how many times a client sends one batch (to the
// replicas in turn) before it gives the batch up as lost.
const replicaAttempts = 8

// spreadResult is one timed ingestion across replicas.
type spreadResult struct {
	ingestResult
	// Retries counts batches sent again after a failure; Abandoned the
	// batches given up after replicaAttempts failures.
	Retries   int
	Abandoned int
}

// ingestSpread sends up to limit events of file to POST /v1/batch of the
// replicas at bases from clients concurrent clients: the k-th batch goes to
// replica k mod len(bases), and a batch that fails (no answer, or not 200)
// goes to the next replica after a short jittered pause, attempts times at
// most. The clock runs from the first request to the last answer.
func ingestSpread(ctx context.Context, client *http.Client, bases []string, attempts int, file string, keys map[string]string, limit, clients, size int) (spreadResult, error) {
	res := spreadResult{ingestResult: ingestResult{Clients: clients}}
	jobs := make(chan batchJob, clients)
	feedErr := make(chan error, 1)
	go func() { feedErr <- batches(ctx, file, limit, size, keys, jobs) }()

	var mu sync.Mutex
	var wg sync.WaitGroup
	var next int // the replica the next batch goes to first
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs {
				mu.Lock()
				first := next
				next++
				mu.Unlock()
				t0 := time.Now()
				ok, retries, problem := sendSpread(ctx, client, bases, first, attempts, job)
				d := time.Since(t0)
				mu.Lock()
				res.Requests++
				res.Retries += retries
				res.Latency = append(res.Latency, d)
				if ok {
					res.Events += job.events
				} else {
					res.Abandoned++
				}
				if problem != "" {
					res.Failed += retries
					if !ok {
						res.Failed++
					}
					if res.Problem == "" {
						res.Problem = problem
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

// sendSpread posts job to the replicas in turn from first until one answers
// 200 or attempts have failed; it returns whether one did, how many times
// the job was sent again, and the first failure.
func sendSpread(ctx context.Context, client *http.Client, bases []string, first, attempts int, job batchJob) (bool, int, string) {
	var problem string
	for attempt := range attempts {
		base := bases[(first+attempt)%len(bases)]
		status, msg, err := postBatch(ctx, client, base, job)
		if err == nil && status == http.StatusOK {
			return true, attempt, problem
		}
		if problem == "" {
			problem = fmt.Sprintf("status %d %s %v", status, msg, err)
			if len(bases) > 1 {
				problem = base + ": " + problem
			}
		}
		if attempt == attempts-1 || ctx.Err() != nil || (err == nil && status < 500 && status != http.StatusTooManyRequests) {
			return false, attempt, problem // the last try, or the batch itself is refused
		}
		pause := time.Duration(10<<min(attempt, 5)) * time.Millisecond
		select {
		case <-time.After(pause/2 + rand.N(pause/2+1)):
		case <-ctx.Done():
			return false, attempt, problem
		}
	}
	return false, attempts - 1, problem
}

// sentKeys counts the distinct (source, message id) pairs among the first
// limit events of file: what a space must hold, each once, after they are
// all sent.
func sentKeys(file string, limit int) (int, error) {
	seen := map[[2]string]bool{}
	err := eachEvent(file, limit, func(n int, line []byte) error {
		var e struct {
			MessageID string `json:"messageId"`
		}
		if err := json.Unmarshal(line, &e); err != nil {
			return fmt.Errorf("%s: event %d: %v", file, n, err)
		}
		src, _ := SourceOf(appName(line))
		seen[[2]string{src, e.MessageID}] = true
		return nil
	})
	return len(seen), err
}
