package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/idgraph/idgraph"
)

// readResult is one timed series of GET requests.
type readResult struct {
	Clients  int
	Requests int
	Failed   int
	Problem  string
	Took     time.Duration
	Latency  latency
	Stopped  bool
	Slowest  int // the index of the slowest request
	slowest  time.Duration
}

func (r readResult) rate() float64 {
	if r.Took <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Took.Seconds()
}

// profileURL is the Profile API path of id's profile, plus suffix.
func profileURL(base, space string, id idgraph.Identifier, suffix string) string {
	return base + "/v1/spaces/" + url.PathEscape(space) + "/collections/users/profiles/" + url.PathEscape(id.String()) + suffix
}

// readLoad sends requests GET requests from clients concurrent clients, the
// i-th to urls(i), authenticated with the access token, each client waiting
// for an answer before its next request; it stops early when ctx ends.
func readLoad(ctx context.Context, client *http.Client, token string, clients, requests int, urls func(i int) string) readResult {
	res := readResult{Clients: clients}
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= requests {
					return
				}
				t0 := time.Now()
				status, err := get(ctx, client, token, urls(i))
				d := time.Since(t0)
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				res.Requests++
				res.Latency = append(res.Latency, d)
				if d > res.slowest {
					res.Slowest, res.slowest = i, d
				}
				// 409 is the answer for a shared identifier, which names
				// no one person.
				if err != nil || status != http.StatusOK && status != http.StatusConflict {
					res.Failed++
					if res.Problem == "" {
						res.Problem = fmt.Sprintf("%s: status %d %v", urls(i), status, err)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Took = time.Since(start)
	res.Stopped = ctx.Err() != nil
	return res
}

func get(ctx context.Context, client *http.Client, token, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	req.SetBasicAuth(token, "")
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}
