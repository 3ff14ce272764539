package graph_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

var (
	segkicks = idgraph.Source{ID: "segkicks", Name: "Mobile (segkicks)"}
	segruns  = idgraph.Source{ID: "segruns", Name: "Mobile (segruns)"}
)

// env is one test's store and space.
type env struct {
	t     *testing.T
	ctx   context.Context
	db    *graph.DB
	store *graph.Store
	space idgraph.Space
}

func newEnv(t *testing.T, rules idgraph.Rules) *env {
	t.Helper()
	db := graphtest.Open(t)
	return &env{t: t, ctx: context.Background(), db: db, store: graph.NewStore(db),
		space: idgraph.Space{ID: graphtest.Space(t), Rules: rules}}
}

// resolve sends events (as JSON lines) from source and fails the test on error.
func (e *env) resolve(source idgraph.Source, lines ...string) idgraph.BatchResult {
	e.t.Helper()
	var events []idgraph.Event
	for _, l := range lines {
		ev, err := idgraph.ParseEvent([]byte(l), time.Date(2019, 11, 20, 0, 0, 0, 0, time.UTC))
		if err != nil {
			e.t.Fatalf("parse %s: %v", l, err)
		}
		events = append(events, ev)
	}
	res, err := e.store.Resolve(e.ctx, e.space, source, events)
	if err != nil {
		e.t.Fatalf("resolve: %v", err)
	}
	return res
}

// loadSeed resolves one stage file of the seed story, each event from the
// source its app names.
func (e *env) loadSeed(file string) {
	e.t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "test", "testdata", "seed", file))
	if err != nil {
		e.t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		src := segkicks
		if strings.Contains(line, `"SegRuns"`) {
			src = segruns
		}
		e.resolve(src, line)
	}
}

// profileOf returns the identifiers of the profile holding s ("type:value"),
// as sorted "type:value" strings; nil when none holds it.
func (e *env) profileOf(s string) []string {
	e.t.Helper()
	p, err := e.store.Profile(e.ctx, e.space.ID, mustID(s))
	if idgraph.ErrorCode(err) == idgraph.ENOTFOUND {
		return nil
	}
	if err != nil {
		e.t.Fatalf("profile of %s: %v", s, err)
	}
	var out []string
	for _, id := range p.Identifiers {
		out = append(out, id.String())
	}
	sort.Strings(out)
	return out
}

// count runs a counting query over the test's space.
func (e *env) count(query string) int64 {
	e.t.Helper()
	res, err := e.db.ReadQuery(e.ctx, "count", query, map[string]any{"space": e.space.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	n, _ := res.Records[0].Values[0].(int64)
	return n
}

// counts returns the space's node and edge counts by kind.
func (e *env) counts() map[string]int64 {
	return map[string]int64{
		"identifiers": e.count(`MATCH (n:Identifier {space: $space}) RETURN count(n)`),
		"profiles":    e.count(`MATCH (n:Profile {space: $space}) RETURN count(n)`),
		"events":      e.count(`MATCH (n:Event {space: $space}) RETURN count(n)`),
		"edges":       e.count(`MATCH (:Identifier {space: $space})-[r:OBSERVED_WITH]->() RETURN count(r)`),
		"rejected":    e.count(`MATCH (:Identifier {space: $space})-[r:REJECTED]->() RETURN count(r)`),
		"carried":     e.count(`MATCH (:Event {space: $space})-[r:CARRIED]->() RETURN count(r)`),
		"memberships": e.count(`MATCH (:Identifier {space: $space})-[r:IN_PROFILE]->() RETURN count(r)`),
		"changes":     e.count(`MATCH (n:Change {space: $space}) RETURN count(n)`),
	}
}

func (e *env) mustCheck() {
	e.t.Helper()
	rep, err := e.store.Check(e.ctx, e.space, nil)
	if err != nil {
		e.t.Fatalf("check: %v", err)
	}
	if !rep.OK() {
		e.t.Fatalf("check found violations: %+v", rep.Violations)
	}
}

func mustID(s string) idgraph.Identifier {
	id, err := idgraph.ParseIdentifier(s)
	if err != nil {
		panic(err)
	}
	return id
}

func TestSeedStory(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	stages := []struct {
		file string
		want []string
	}{
		{"1-anonymous-to-known.ndjson", []string{
			"anonymous_id:anon_123", "email:jane.doe@gmail.com", "ios.id:ios_abc123", "user_id:abc123def"}},
		{"2-cross-device.ndjson", []string{
			"android.id:and_1a2b3c4d", "anonymous_id:anon_123", "anonymous_id:anon_456",
			"email:jane.doe@gmail.com", "ios.id:ios_abc123", "user_id:abc123def"}},
		{"3-cross-app.ndjson", []string{
			"android.id:and_1a2b3c4d", "anonymous_id:anon_123", "anonymous_id:anon_456", "anonymous_id:anon_789",
			"email:jane.doe@gmail.com", "ios.id:ios_abc123", "user_id:abc123def"}},
	}
	for _, st := range stages {
		e.loadSeed(st.file)
		for _, id := range st.want {
			if got := e.profileOf(id); !slices.Equal(got, st.want) {
				t.Errorf("after %s, profile of %s:\n got %v\nwant %v", st.file, id, got, st.want)
			}
		}
	}

	p, err := e.store.Profile(e.ctx, e.space.ID, mustID("anonymous_id:anon_789"))
	if err != nil {
		t.Fatal(err)
	}
	wantFirst := map[string]string{
		"anonymous_id:anon_123":    "segkicks 2019-11-15T09:00:00Z",
		"ios.id:ios_abc123":        "segkicks 2019-11-15T09:00:00Z",
		"user_id:abc123def":        "segkicks 2019-11-15T09:20:00Z",
		"email:jane.doe@gmail.com": "segkicks 2019-11-15T09:20:00Z",
		"anonymous_id:anon_456":    "segkicks 2019-11-16T08:00:00Z",
		"android.id:and_1a2b3c4d":  "segkicks 2019-11-16T08:00:00Z",
		"anonymous_id:anon_789":    "segruns 2019-11-16T18:30:00Z",
	}
	for _, s := range p.Identifiers {
		got := s.FirstSourceID + " " + s.FirstSeen.UTC().Format(time.RFC3339)
		if want := wantFirst[s.String()]; got != want {
			t.Errorf("%s first seen: got %s, want %s", s, got, want)
		}
	}
	if got := p.Traits["name"].Value; got != "Jane Doe" {
		t.Errorf("trait name: got %v, want Jane Doe", got)
	}
	e.mustCheck()
}

func TestSegmentLimitExample(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"identify","messageId":"m1","userId":"abc123","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-01T00:00:00Z"}`)
	e.resolve(segkicks, `{"type":"identify","messageId":"m2","userId":"abc456","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-02T00:00:00Z"}`)

	if got, want := e.profileOf("user_id:abc123"), []string{"email:jane@example1.com", "user_id:abc123"}; !slices.Equal(got, want) {
		t.Errorf("first profile: got %v, want %v", got, want)
	}
	if got, want := e.profileOf("user_id:abc456"), []string{"user_id:abc456"}; !slices.Equal(got, want) {
		t.Errorf("second profile: got %v, want %v", got, want)
	}
	res, err := e.db.ReadQuery(e.ctx, "rejected", `
		MATCH (a:Identifier {space: $space})-[r:REJECTED]->(b)
		RETURN a.type + ':' + a.value + ' -> ' + b.type + ':' + b.value + ' ' + r.rule + ' ' + r.message_id AS s`,
		map[string]any{"space": e.space.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range res.Records {
		got = append(got, rec.Values[0].(string))
	}
	if want := []string{"email:jane@example1.com -> user_id:abc456 limit:user_id m2"}; !slices.Equal(got, want) {
		t.Errorf("REJECTED links: got %v, want %v", got, want)
	}
	e.mustCheck()
}

func TestMergeProtection(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"identify","messageId":"m1","anonymousId":"a1","userId":"u1","timestamp":"2020-01-01T00:00:00Z"}`)
	e.resolve(segkicks, `{"type":"identify","messageId":"m2","anonymousId":"a1","userId":"u2","timestamp":"2020-01-01T01:00:00Z"}`)
	if got, want := e.profileOf("anonymous_id:a1"), []string{"anonymous_id:a1", "user_id:u1"}; !slices.Equal(got, want) {
		t.Errorf("a1's profile: got %v, want %v", got, want)
	}
	if got, want := e.profileOf("user_id:u2"), []string{"user_id:u2"}; !slices.Equal(got, want) {
		t.Errorf("u2's profile: got %v, want %v", got, want)
	}
	if got := e.counts()["profiles"]; got != 2 {
		t.Errorf("profiles: got %d, want 2", got)
	}
	e.mustCheck()
}

func TestBlockedValuesNeverBecomeIdentifiers(t *testing.T) {
	rules := idgraph.DefaultRules()
	extra, err := idgraph.ParseBlocklist(append(slices.Clone(idgraph.DefaultBlocked), "/^test-/"))
	if err != nil {
		t.Fatal(err)
	}
	rules.Blocked = extra
	e := newEnv(t, rules)
	for i, junk := range []string{"null", "undefined", "0000", "-1", "", "test-123"} {
		e.resolve(segkicks,
			fmt.Sprintf(`{"type":"identify","messageId":"a%d","userId":"u%d","anonymousId":%q,"traits":{"email":%q},"timestamp":"2020-01-01T00:00:00Z"}`, i, i, junk, junk),
		)
	}
	res, err := e.db.ReadQuery(e.ctx, "ids", `MATCH (i:Identifier {space: $space}) RETURN i.type + ':' + i.value AS s ORDER BY s`,
		map[string]any{"space": e.space.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range res.Records {
		got = append(got, rec.Values[0].(string))
	}
	want := []string{"user_id:u0", "user_id:u1", "user_id:u2", "user_id:u3", "user_id:u4", "user_id:u5"}
	if !slices.Equal(got, want) {
		t.Errorf("identifiers: got %v, want %v (no junk value, no merge)", got, want)
	}
	if got := e.counts()["events"]; got != 6 {
		t.Errorf("events: got %d, want 6 (a blocked value does not drop the event)", got)
	}
	e.mustCheck()
}

func TestWindowedLimit(t *testing.T) {
	rules := idgraph.DefaultRules()
	rules.Types["anonymous_id"] = idgraph.IdentifierRule{Type: "anonymous_id", Limit: 5, Window: idgraph.WindowWeekly}
	e := newEnv(t, rules)
	day := 24 * time.Hour
	start := time.Date(2020, 3, 2, 12, 0, 0, 0, time.UTC)
	send := func(n int, at time.Time) {
		e.resolve(segkicks, fmt.Sprintf(`{"type":"track","event":"Viewed","messageId":"w%d","userId":"jane","anonymousId":"anon%d","timestamp":%q}`,
			n, n, at.Format(time.RFC3339)))
	}
	for n := 1; n <= 6; n++ {
		send(n, start.Add(time.Duration(n-1)*day/2))
	}
	got := e.profileOf("user_id:jane")
	if slices.Contains(got, "anonymous_id:anon6") || len(got) != 6 {
		t.Errorf("after six in one week: got %v, want jane and anon1..anon5 only", got)
	}
	send(7, start.Add(10*day))
	if got := e.profileOf("user_id:jane"); !slices.Contains(got, "anonymous_id:anon7") {
		t.Errorf("a week later: got %v, want anon7 accepted", got)
	}
	e.mustCheck()
}

func TestProfileCaps(t *testing.T) {
	rules := idgraph.DefaultRules()
	rules.MaxMerges, rules.MaxIdentifiers = 2, 4
	rules.Types["fp"] = idgraph.IdentifierRule{Type: "fp", Limit: 100}

	// Merge cap: four one-identifier profiles, then three events each
	// joining a1 to the next; the third would be a third merge.
	merges := newEnv(t, rules)
	for i := 1; i <= 4; i++ {
		merges.resolve(segkicks, fmt.Sprintf(`{"type":"track","event":"E","messageId":"s%d","anonymousId":"a%d","timestamp":"2020-01-01T00:0%d:00Z"}`, i, i, i))
	}
	for i := 2; i <= 4; i++ {
		merges.resolve(segkicks, fmt.Sprintf(`{"type":"track","event":"E","messageId":"j%d","anonymousId":"a1","context":{"externalIds":[{"id":"a%d","type":"anonymous_id","collection":"users","encoding":"none"}]},"timestamp":"2020-01-02T00:0%d:00Z"}`, i, i, i))
	}
	if got, want := merges.profileOf("anonymous_id:a1"), []string{"anonymous_id:a1", "anonymous_id:a2", "anonymous_id:a3"}; !slices.Equal(got, want) {
		t.Errorf("merge cap 2: got %v, want %v", got, want)
	}
	if got, want := merges.profileOf("anonymous_id:a4"), []string{"anonymous_id:a4"}; !slices.Equal(got, want) {
		t.Errorf("merge cap 2: a4's profile got %v, want %v", got, want)
	}
	merges.mustCheck()

	// Identifier cap: one event carrying five new identifiers.
	ids := newEnv(t, rules)
	ids.resolve(segkicks, `{"type":"track","event":"E","messageId":"big","anonymousId":"x","context":{"externalIds":[
		{"id":"f1","type":"fp","collection":"users"},{"id":"f2","type":"fp","collection":"users"},
		{"id":"f3","type":"fp","collection":"users"},{"id":"f4","type":"fp","collection":"users"}]},"timestamp":"2020-01-01T00:00:00Z"}`)
	if got, want := ids.profileOf("anonymous_id:x"), []string{"anonymous_id:x", "fp:f1", "fp:f2", "fp:f3"}; !slices.Equal(got, want) {
		t.Errorf("identifier cap 4: got %v, want %v", got, want)
	}
	if got, want := ids.profileOf("fp:f4"), []string{"fp:f4"}; !slices.Equal(got, want) {
		t.Errorf("identifier cap 4: f4's profile got %v, want %v", got, want)
	}
	ids.mustCheck()
}

func TestReplayChangesNothing(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		e.loadSeed(f)
	}
	before := e.counts()
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		e.loadSeed(f)
	}
	after := e.counts()
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("replay changed the graph:\nbefore %v\n after %v", before, after)
	}
	edgeCount := e.count(`MATCH (:Identifier {space: $space})-[r:OBSERVED_WITH]->() RETURN sum(r.count)`)
	if edgeCount != 15 {
		t.Errorf("sum of edge counts: got %d, want 15 (replays must not count again)", edgeCount)
	}
}

func TestConcurrentResolveGivesTheSamePartition(t *testing.T) {
	// 40 people, each with a user id, an email and three anonymous ids seen
	// in several events; events overlap so writers contend on identifiers.
	var lines []string
	for p := 0; p < 40; p++ {
		for k := 0; k < 3; k++ {
			lines = append(lines,
				fmt.Sprintf(`{"type":"identify","messageId":"p%d-k%d","userId":"u%d","anonymousId":"a%d-%d","traits":{"email":"p%d@x.io"},"timestamp":"2020-01-01T00:%02d:00Z"}`, p, k, p, p, k, p, k),
				fmt.Sprintf(`{"type":"track","event":"E","messageId":"p%d-t%d","anonymousId":"a%d-%d","context":{"device":{"id":"d%d","type":"ios"}},"timestamp":"2020-01-01T01:%02d:00Z"}`, p, k, p, k, p, k))
		}
	}
	partition := func(e *env) string {
		res, err := e.db.ReadQuery(e.ctx, "partition", `
			MATCH (p:Profile {space: $space})<-[:IN_PROFILE]-(i:Identifier)
			WITH p, i ORDER BY i.type, i.value
			WITH p, collect(i.type + ':' + i.value) AS ids
			RETURN ids ORDER BY ids[0]`, map[string]any{"space": e.space.ID})
		if err != nil {
			t.Fatal(err)
		}
		var groups []string
		for _, rec := range res.Records {
			groups = append(groups, fmt.Sprint(rec.Values[0]))
		}
		return strings.Join(groups, "\n")
	}

	serial := newEnv(t, idgraph.DefaultRules())
	serial.resolve(segkicks, lines...)

	parallel := newEnv(t, idgraph.DefaultRules())
	// Each writer sends every event whose index hits it, in small batches,
	// so the same identifiers arrive from all sides.
	parallel.resolveConcurrently(lines, 8, 5, func(i, w int) bool { return (i+w)%3 == 0 })
	if got, want := partition(parallel), partition(serial); got != want {
		t.Errorf("partitions differ:\nparallel:\n%s\nserial:\n%s", got, want)
	}
	if got := parallel.count(`MATCH (n:Event {space: $space}) RETURN count(n)`); got != int64(len(lines)) {
		t.Errorf("events: got %d, want %d", got, len(lines))
	}
	parallel.mustCheck()
}

// resolveConcurrently resolves events (as JSON lines) from writers
// goroutines at once, each sending, in batches of size, the events i that
// pick(i, w) gives writer w; it fails the test on any error.
func (e *env) resolveConcurrently(lines []string, writers, size int, pick func(i, w int) bool) {
	e.t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		var mine []idgraph.Event
		for i, l := range lines {
			if !pick(i, w) {
				continue
			}
			ev, err := idgraph.ParseEvent([]byte(l), time.Now())
			if err != nil {
				e.t.Fatal(err)
			}
			mine = append(mine, ev)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < len(mine); i += size {
				if _, err := e.store.Resolve(e.ctx, e.space, segkicks, mine[i:min(i+size, len(mine))]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		e.t.Fatalf("concurrent resolve: %v", err)
	}
}
