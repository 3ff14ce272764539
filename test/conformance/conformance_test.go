package conformance

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"
)

// Bounds of one client's run: the story takes a few seconds. A client that
// keeps its first sentAt when it retries (RudderStack's Node SDK, waiting
// the 5 s Retry-After asks, and Segment's Go library) would have its
// events' corrected time moved by its backoff, but idgraph corrects a
// resend as of its first receipt: the outage may add no more than a slow
// machine does.
const (
	storyDrift  = 5 * time.Second
	outageDrift = 2 * time.Second
	sendTimeout = 3 * time.Minute
)

// outageSender is the person sent during a client's outage.
var outageSender = [2]string{"ada", "Ada Lovelace"}

// status503 and status429 find a 503 or a 429 in what a client logged.
var (
	status503 = regexp.MustCompile(`\b503\b`)
	status429 = regexp.MustCompile(`\b429\b`)
)

// TestSDKs runs each client against an idgraph of its own: first the Jane
// Doe story and John's, then a person's events sent while Neo4j is
// unreachable.
func TestSDKs(t *testing.T) {
	for _, c := range sdks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.requireInstalled(t)
			s := startServer(t)
			story := []person{jane(t), john(t)}
			sent, stored := eventsOf(story...), messageIDs("story", eventsOf(story...))

			s.deliver(t, c, delivery{run: "story", events: sent})
			for _, p := range story {
				d := checkPerson(t, s, p, "story", storyDrift)
				t.Logf("%s: timestamps up to %s after the story's", p.name, d)
			}
			checkStored(t, s, stored)
			s.checkCounts(t, sent)
			if got := s.wire.encodings(); !slices.Equal(got, []string{c.encoding}) {
				t.Errorf("%s sent its events as %q, want %q", c.name, got, c.encoding)
			}

			p := outagePerson(t, outageSender[0], outageSender[1])
			s.outage(t, c, p, "outage")
			sent, stored = append(sent, p.events...), append(stored, messageIDs("outage", p.events)...)
			checkStored(t, s, stored)
			s.checkCounts(t, sent)
			for _, p := range story {
				checkPerson(t, s, p, "story", storyDrift)
			}
		})
	}
}

// outage sends p's events with client c, on its defaults, while Neo4j is
// unreachable: idgraph answers 503 with Retry-After at once, well inside
// the client's timeout, so the client gets it and logs it; Neo4j comes back
// once it has, and the client must retry until every event is in, exactly
// once.
func (s *server) outage(t *testing.T, c sdk, p person, run string) {
	t.Helper()
	s.neo4j.Down()
	before := s.metric("idgraph_http_requests_total", `method="POST"`, `status="503"`)
	done := make(chan error, 1)
	var out string
	start := time.Now()
	go func() {
		var err error
		out, err = s.send(c, delivery{run: run, events: p.events})
		done <- err
	}()
	first := s.await503(before)
	t.Logf("first 503 %s after the client started sending", first.Sub(start).Round(time.Millisecond))
	s.neo4j.Up()
	if err := <-done; err != nil {
		t.Fatalf("%s after the outage: %v", c.name, err)
	}
	if !status503.MatchString(out) {
		t.Errorf("%s logged no 503 in the outage: it did not get idgraph's answer", c.name)
	}
	d := checkPerson(t, s, p, run, outageDrift)
	t.Logf("%s: timestamps up to %s after the story's", p.name, d)
}

// deliver sends d's events with client c and fails t if it does not deliver
// every one.
func (s *server) deliver(t *testing.T, c sdk, d delivery) {
	t.Helper()
	if _, err := s.send(c, d); err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
}

// send sends d's events to s with client c, logging what it printed.
func (s *server) send(c sdk, d delivery) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
	defer cancel()
	d.host = s.wire.url
	d.keys = map[string]string{"segkicks": s.kicksKey, "segruns": s.runsKey}
	start := time.Now()
	out, err := c.send(ctx, d)
	s.t.Logf("%s sent %d events (%s) in %s:\n%s", c.name, len(d.events), d.run, time.Since(start).Round(time.Millisecond), out)
	return out, err
}

// await503 waits until idgraph has answered a POST with 503 more often than
// before, and returns when it saw that.
func (s *server) await503(before float64) time.Time {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for s.metric("idgraph_http_requests_total", `method="POST"`, `status="503"`) <= before {
		if time.Now().After(deadline) {
			s.t.Fatal("no 503 within 30 s of cutting Neo4j off")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Now()
}

// checkCounts checks idgraph's own count of the events it loaded from each
// source against the events sent, and that it refused none as invalid.
func (s *server) checkCounts(t *testing.T, sent []storyEvent) {
	t.Helper()
	loaded := map[string]int{}
	for _, e := range sent {
		loaded[e.source]++
	}
	space := fmt.Sprintf(`space=%q`, s.space)
	for source, want := range loaded {
		src := fmt.Sprintf(`source=%q`, source)
		if got := s.metric("idgraph_events_total", space, src, `outcome="loaded"`); got != float64(want) {
			t.Errorf("events loaded from %s: got %v, want %d", source, got, want)
		}
		t.Logf("duplicates from %s so far (retries of committed events): %v", source,
			s.metric("idgraph_events_total", space, src, `outcome="duplicate"`))
	}
	if got := s.metric("idgraph_events_total", space, `outcome="invalid"`); got != 0 {
		t.Errorf("events refused as invalid: got %v, want 0", got)
	}
}

// TestSDKsRetryWhenRateLimited runs each client against an idgraph that
// limits each write key to one request every two seconds (IDGRAPH_RATE_LIMIT
// 0.5, burst 1), right after the key spent its one request: the client's
// first request is answered 429 with Retry-After, and it must retry until
// every event is in, exactly once.
func TestSDKsRetryWhenRateLimited(t *testing.T) {
	for _, c := range sdks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.requireInstalled(t)
			s := startServer(t, "IDGRAPH_RATE_LIMIT=0.5", "IDGRAPH_RATE_BURST=1")
			p := outagePerson(t, "ada", "Ada Lovelace")
			// The limit is taken before the body is read: an empty request
			// spends the key's one token and stores nothing.
			if code, _, err := s.request(http.MethodPost, "/v1/batch", s.kicksKey); err != nil || code != http.StatusBadRequest {
				t.Fatalf("spending the key's token: %d, %v; want 400", code, err)
			}
			before := s.metric("idgraph_http_requests_total", `method="POST"`, `status="429"`)
			out, err := s.send(c, delivery{run: "limited", events: p.events})
			if err != nil {
				t.Fatalf("%s under the rate limit: %v", c.name, err)
			}
			if got := s.metric("idgraph_http_requests_total", `method="POST"`, `status="429"`); got <= before {
				t.Errorf("idgraph answered no 429 to %s", c.name)
			}
			if !status429.MatchString(out) {
				t.Errorf("%s logged no 429: it did not get idgraph's answer", c.name)
			}
			checkStored(t, s, messageIDs("limited", p.events))
			s.checkCounts(t, p.events)
			checkPerson(t, s, p, "limited", storyDrift)
		})
	}
}
