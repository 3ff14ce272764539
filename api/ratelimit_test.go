package api_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/ingest"
)

func TestIngestRateLimitsEachWriteKey(t *testing.T) {
	store := newIngestStore()
	w := ingest.NewWriter(store, ingest.WriterOptions{})
	t.Cleanup(w.Close)
	h := api.New(api.Config{Checker: ready, Spaces: ingestSpaces(t, "shop"), Writer: w,
		RateLimit: api.RateLimit{PerSecond: 0.5, Burst: 2}}).Handler()

	send := func(key string, i int, inBody bool) (int, string) {
		req := ingestRequest{path: "/v1/track", basic: key, body: jsonOf(t, trackEvent(fmt.Sprintf("%s-%d", key, i)))}
		if inBody {
			e := trackEvent(fmt.Sprintf("%s-%d", key, i))
			e["writeKey"] = key
			req = ingestRequest{path: "/v1/track", body: jsonOf(t, e)}
		}
		rec := req.send(t, h)
		return rec.Code, rec.Header().Get("Retry-After")
	}
	// The burst, then 429 with a Retry-After, the key in Basic auth or in
	// the body alike.
	for i, inBody := range []bool{false, true} {
		if code, _ := send(kicksKey, i, inBody); code != 200 {
			t.Fatalf("request %d within the burst: %d, want 200", i, code)
		}
	}
	for i, inBody := range []bool{false, true} {
		code, retry := send(kicksKey, 10+i, inBody)
		if n, err := strconv.Atoi(retry); code != 429 || err != nil || n < 1 || n > 2 {
			t.Errorf("request over the rate (key in body %v): %d, Retry-After %q; want 429 and 1 or 2 seconds", inBody, code, retry)
		}
	}
	// Another write key has a bucket of its own.
	if code, _ := send(runsKey, 0, false); code != 200 {
		t.Errorf("another write key: %d, want 200", code)
	}
	if got := store.written("shop/segkicks"); len(got) != 2 {
		t.Errorf("written %v, want the two requests within the burst", got)
	}
	rec := (ingestRequest{path: "/v1/track", basic: kicksKey, body: jsonOf(t, trackEvent("late"))}).send(t, h)
	var body ingestAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != "rate_limit_error" {
		t.Errorf("429 body %s: want the JSON error, code rate_limit_error", rec.Body)
	}
}

func TestIngestHasNoRateLimitByDefault(t *testing.T) {
	store := newIngestStore()
	h := ingestServer(t, store, ingestSpaces(t, "shop"), api.NewMetrics())
	for i := range 50 {
		if rec := (ingestRequest{path: "/v1/track", basic: kicksKey, body: jsonOf(t, trackEvent(fmt.Sprint(i)))}).send(t, h); rec.Code != 200 {
			t.Fatalf("request %d: %d, want 200: no limit unless configured", i, rec.Code)
		}
	}
}
