package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph/cache"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// cacheStaleness is the replicas' IDGRAPH_CACHE_STALENESS in these tests.
const cacheStaleness = 400 * time.Millisecond

// cacheReplica is one idgraph serve of a profile cache test.
type cacheReplica struct {
	t     *testing.T
	m     *Main
	space string
}

// startCacheReplica runs the service for the space of file with env added.
func startCacheReplica(t *testing.T, space, file string, env map[string]string) *cacheReplica {
	t.Helper()
	e := map[string]string{"IDGRAPH_CONFIG": file}
	maps.Copy(e, env)
	m, _ := runMain(t, e)
	return &cacheReplica{t: t, m: m, space: space}
}

// do sends a request with key as the basic-auth user and returns the status
// and body.
func (r *cacheReplica) do(method, path, key, body string) (int, string) {
	r.t.Helper()
	req, err := http.NewRequest(method, "http://"+r.m.Addr()+path, strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	req.SetBasicAuth(key, "")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// send posts one event through the replica's writer.
func (r *cacheReplica) send(event string) {
	r.t.Helper()
	if code, body := r.do(http.MethodPost, "/v1/batch", "wk_cache", `{"batch":[`+event+`]}`); code != http.StatusOK {
		r.t.Fatalf("POST /v1/batch %s: %d %s", event, code, body)
	}
}

// ids answers the identifiers external_ids lists for id, or the status when
// it is not 200.
func (r *cacheReplica) ids(id string) string {
	r.t.Helper()
	code, body := r.do(http.MethodGet, "/v1/spaces/"+r.space+"/collections/users/profiles/"+id+"/external_ids", "tok_cache", "")
	if code != http.StatusOK {
		return strconv.Itoa(code)
	}
	var page struct {
		Data []struct{ Type, ID string }
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		r.t.Fatalf("external_ids of %s: %v in %s", id, err, body)
	}
	var out []string
	for _, x := range page.Data {
		out = append(out, x.Type+":"+x.ID)
	}
	return strings.Join(out, " ")
}

// explain answers whether explain says from and to are together.
func (r *cacheReplica) explain(from, to string) bool {
	r.t.Helper()
	code, body := r.do(http.MethodGet, "/v1/spaces/"+r.space+"/collections/users/profiles/"+from+"/explain?to="+to, "tok_cache", "")
	if code != http.StatusOK {
		r.t.Fatalf("explain %s to %s: %d %s", from, to, code, body)
	}
	var x struct{ Together bool }
	if err := json.Unmarshal([]byte(body), &x); err != nil {
		r.t.Fatalf("explain %s to %s: %v in %s", from, to, err, body)
	}
	return x.Together
}

// lookups returns the profile cache's hits and misses of lookups from
// /metrics.
func (r *cacheReplica) lookups() (hits, misses int) {
	return r.reads(cache.ReadProfile)
}

// reads returns the profile cache's hits and misses of the kind of read
// from /metrics.
func (r *cacheReplica) reads(kind string) (hits, misses int) {
	r.t.Helper()
	_, body := r.do(http.MethodGet, "/metrics", "tok_cache", "")
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		for label, dst := range map[string]*int{`result="hit"`: &hits, `result="miss"`: &misses} {
			if rest, ok := strings.CutPrefix(sc.Text(), `idgraph_profile_cache_lookups_total{read="`+kind+`",`+label+"} "); ok {
				f, err := strconv.ParseFloat(rest, 64)
				if err != nil {
					r.t.Fatalf("metrics line %q: %v", sc.Text(), err)
				}
				*dst = int(f)
			}
		}
	}
	return hits, misses
}

// cached looks id up until the cache answers it (the first lookups of a
// space miss until its write mark is read) and checks the answer.
func (r *cacheReplica) cached(id, want string) {
	r.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		before, _ := r.lookups()
		got := r.ids(id)
		if got != want {
			r.t.Fatalf("external_ids of %s = %q, want %q", id, got, want)
		}
		if hits, _ := r.lookups(); hits > before {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("the cache never answered %s", id)
		}
	}
}

// cacheSpace writes the spaces file of a cache test's space.
func cacheSpace(t *testing.T) (space, file string) {
	space = graphtest.Space(t)
	file = filepath.Join(t.TempDir(), "spaces.yaml")
	yaml := fmt.Sprintf("spaces:\n  - id: %s\n    access_tokens: [tok_cache]\n    sources: [{id: app, write_key: wk_cache}]\n", space)
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return space, file
}

// TestProfileCacheFollowsWrites runs two replicas on one space: a lookup or
// an explanation is answered from the cache after a first read; a merge, a
// split and a delete made through one replica show in its next lookup (and
// explanation) at once, and in the other's within IDGRAPH_CACHE_STALENESS.
func TestProfileCacheFollowsWrites(t *testing.T) {
	space, file := cacheSpace(t)
	env := map[string]string{"IDGRAPH_CACHE_STALENESS": cacheStaleness.String()}
	a := startCacheReplica(t, space, file, env)
	b := startCacheReplica(t, space, file, env)

	a.send(`{"type":"identify","userId":"u1","anonymousId":"a1","messageId":"m1"}`)
	a.send(`{"type":"identify","anonymousId":"a2","traits":{"email":"e2@example.com"},"messageId":"m2"}`)
	const alone, merged = "anonymous_id:a1 user_id:u1", "anonymous_id:a1 anonymous_id:a2 email:e2@example.com user_id:u1"
	a.cached("anonymous_id:a1", alone)
	b.cached("anonymous_id:a1", alone)
	if got := a.ids("email:nobody@example.com"); got != "404" {
		t.Errorf("external_ids of an unknown identifier = %s, want 404", got)
	}

	// Explanations are kept too: a1 and a2 are apart, asked twice each.
	for _, r := range []*cacheReplica{a, b} {
		hits, _ := r.reads(cache.ReadExplanation)
		for range 2 {
			if r.explain("anonymous_id:a1", "anonymous_id:a2") {
				t.Fatal("before the merge, explain says a1 and a2 are together")
			}
		}
		if now, _ := r.reads(cache.ReadExplanation); now <= hits {
			t.Errorf("the second explanation of a1 and a2 was not answered from the cache")
		}
	}

	// The merge joins a2's profile to u1's.
	a.send(`{"type":"track","event":"Joined","anonymousId":"a2","userId":"u1","messageId":"m3"}`)
	sent := time.Now()
	if got := a.ids("anonymous_id:a1"); got != merged {
		t.Errorf("after the merge, the writing replica answers %q, want %q", got, merged)
	}
	if !a.explain("anonymous_id:a1", "anonymous_id:a2") {
		t.Error("after the merge, the writing replica's explain says a1 and a2 are apart")
	}
	for got := b.ids("anonymous_id:a1"); got != merged; got = b.ids("anonymous_id:a1") {
		if time.Since(sent) > cacheStaleness+2*time.Second {
			t.Fatalf("the other replica still answers %q %s after the merge, want %q", got, time.Since(sent), merged)
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.cached("anonymous_id:a1", merged)
	if !b.explain("anonymous_id:a1", "anonymous_id:a2") {
		t.Error("once its lookups show the merge, the other replica's explain says a1 and a2 are apart")
	}

	// A split through b moves a2 and its email out again.
	path := "/v1/spaces/" + space + "/collections/users/profiles/anonymous_id:a1/split"
	if code, body := b.do(http.MethodPost, path, "tok_cache", `{"identifiers":["anonymous_id:a2","email:e2@example.com"],"reason":"test"}`); code != http.StatusOK {
		t.Fatalf("split: %d %s", code, body)
	}
	if got := b.ids("anonymous_id:a1"); got != alone {
		t.Errorf("after the split, the writing replica answers %q, want %q", got, alone)
	}
	b.cached("anonymous_id:a2", "anonymous_id:a2 email:e2@example.com")

	// A delete through b: its next lookup is a 404, the profile's other
	// identifier is gone too.
	if code, body := b.do(http.MethodDelete, "/v1/spaces/"+space+"/collections/users/profiles/anonymous_id:a2", "tok_cache", ""); code/100 != 2 {
		t.Fatalf("delete: %d %s", code, body)
	}
	for _, id := range []string{"anonymous_id:a2", "email:e2@example.com"} {
		if got := b.ids(id); got != "404" {
			t.Errorf("after the delete, external_ids of %s = %q, want 404", id, got)
		}
	}
	if got := b.ids("anonymous_id:a1"); got != alone {
		t.Errorf("after the delete, a1 answers %q, want %q", got, alone)
	}
}

// TestProfileCacheOff checks that IDGRAPH_CACHE_SIZE=0 serves the store
// itself: no cache, no lookups counted.
func TestProfileCacheOff(t *testing.T) {
	space, file := cacheSpace(t)
	r := startCacheReplica(t, space, file, map[string]string{"IDGRAPH_CACHE_SIZE": "0"})
	if _, ok := r.m.Profiles.(*graph.Store); !ok {
		t.Errorf("with IDGRAPH_CACHE_SIZE=0 profiles are a %T, want the *graph.Store", r.m.Profiles)
	}
	r.send(`{"type":"identify","userId":"u1","anonymousId":"a1","messageId":"m1"}`)
	for range 3 {
		if got, want := r.ids("user_id:u1"), "anonymous_id:a1 user_id:u1"; got != want {
			t.Errorf("external_ids = %q, want %q", got, want)
		}
	}
	if hits, misses := r.lookups(); hits != 0 || misses != 0 {
		t.Errorf("the cache counted %d hits and %d misses, want none", hits, misses)
	}
	on := startCacheReplica(t, space, file, nil)
	if _, ok := on.m.Profiles.(*cache.Profiles); !ok {
		t.Errorf("by default profiles are a %T, want a *cache.Profiles", on.m.Profiles)
	}
	// With the cache on, each kind's series exist from the start, at 0.
	_, body := on.do(http.MethodGet, "/metrics", "tok_cache", "")
	for _, kind := range []string{cache.ReadProfile, cache.ReadExplanation} {
		for _, result := range []string{"hit", "miss"} {
			if line := `idgraph_profile_cache_lookups_total{read="` + kind + `",result="` + result + `"} 0`; !strings.Contains(body, line) {
				t.Errorf("/metrics lacks %s", line)
			}
		}
	}
}
