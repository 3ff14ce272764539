package bench

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph/cypher"
	"github.com/idgraph/idgraph/graph"
)

// querySampler is a sampling profiler of Neo4j: every interval it lists the
// running transactions (SHOW TRANSACTIONS) and counts which statement each
// one is executing, named by its file in cypher/; "(between statements)" is
// an open transaction waiting for its client (idgraph resolving in Go, the
// network). The shares say where the server's time goes under a real load.
type querySampler struct {
	stop   chan struct{}
	done   chan struct{}
	mu     sync.Mutex
	counts map[string]int
	ticks  int
	err    error
}

func sampleQueries(ctx context.Context, db *graph.DB, every time.Duration) *querySampler {
	names := map[string]string{}
	for _, n := range cypher.Names() {
		names[strings.TrimSpace(cypher.Query(n))] = n
	}
	s := &querySampler{stop: make(chan struct{}), done: make(chan struct{}), counts: map[string]int{}}
	const show = "SHOW TRANSACTIONS YIELD currentQuery, status RETURN currentQuery, status"
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
			res, err := db.ReadQuery(ctx, "show transactions", show, nil)
			if err != nil {
				s.err = err
				return
			}
			s.mu.Lock()
			s.ticks++
			for _, rec := range res.Records {
				q, _, _ := neo4j.GetRecordValue[string](rec, "currentQuery")
				q = strings.TrimSpace(q)
				switch {
				case q == show:
					continue
				case q == "":
					s.counts["(between statements)"]++
				case names[q] != "":
					s.counts[names[q]]++
				default:
					s.counts[tailOf(strings.Join(strings.Fields(q), " "), 60)]++
				}
			}
			s.mu.Unlock()
		}
	}()
	return s
}

// Stop ends sampling and returns the statements by share of samples, most
// first, as "name 41%" items.
func (s *querySampler) Stop() ([]string, int, error) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	var names []string
	for n, c := range s.counts {
		total += c
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if s.counts[names[i]] != s.counts[names[j]] {
			return s.counts[names[i]] > s.counts[names[j]]
		}
		return names[i] < names[j]
	})
	var out []string
	for _, n := range names {
		out = append(out, fmt.Sprintf("%s %.0f%%", n, 100*float64(s.counts[n])/float64(total)))
	}
	return out, s.ticks, s.err
}

// sample starts the query sampler when asked for; stop it with r.sampled.
func (r *runner) sample(ctx context.Context) *querySampler {
	if !r.o.SampleQueries {
		return nil
	}
	return sampleQueries(ctx, r.db, 20*time.Millisecond)
}

// sampled stops s and notes what it saw during what.
func (r *runner) sampled(s *querySampler, what string) {
	if s == nil {
		return
	}
	shares, ticks, err := s.Stop()
	if err != nil {
		r.rep.note("statement samples during %s failed: %v", what, err)
		return
	}
	r.rep.note("Neo4j statement samples during %s (SHOW TRANSACTIONS every 20 ms, %d samples; share of running transactions by statement): %s.",
		what, ticks, strings.Join(shares, ", "))
}
