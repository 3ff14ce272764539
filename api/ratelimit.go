package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// RateLimit bounds the ingestion requests of each write key (each source):
// PerSecond on average, Burst at once. The zero value is no limit.
type RateLimit struct {
	PerSecond float64
	// Burst is how many requests a write key may send at once; the rate,
	// rounded up, when zero.
	Burst int
}

// limiter is a token bucket per source: each holds up to burst tokens,
// refilled at rate per second, and a request takes one.
type limiter struct {
	rate, burst float64

	mu      sync.Mutex
	buckets map[string]*bucket // by space and source id: bounded by the configuration
}

type bucket struct {
	tokens float64
	last   time.Time
}

// newLimiter returns the limiter of rl; nil, which lets everything
// through, for no limit.
func newLimiter(rl RateLimit) *limiter {
	if rl.PerSecond <= 0 {
		return nil
	}
	burst := float64(rl.Burst)
	if burst <= 0 {
		burst = math.Ceil(rl.PerSecond)
	}
	return &limiter{rate: rl.PerSecond, burst: burst, buckets: map[string]*bucket{}}
}

// take takes a token from key's bucket at now. It returns 0 when the
// request may go, else how long until a token is there.
func (l *limiter) take(key string, now time.Time) time.Duration {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// rateLimited answers 429 with a Retry-After in whole seconds, which
// Segment's and RudderStack's libraries honour, when source has sent more
// than its rate; nil when the request may go.
func (s *Server) rateLimited(c *gin.Context, space idgraph.Space, source idgraph.Source) error {
	wait := s.limiter.take(space.ID+"/"+source.ID, time.Now())
	if wait == 0 {
		return nil
	}
	secs := max(1, int(math.Ceil(wait.Seconds())))
	c.Header("Retry-After", strconv.Itoa(secs))
	return &httpError{
		status:  http.StatusTooManyRequests,
		code:    "rate_limit_error",
		message: fmt.Sprintf("too many requests from this write key: at most %g a second; retry in %d s", s.limiter.rate, secs),
	}
}
