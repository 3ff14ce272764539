package graph_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

var seedFiles = []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"}

// seedStory returns a test env with the whole seed story resolved.
func seedStory(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, idgraph.DefaultRules())
	for _, f := range seedFiles {
		e.loadSeed(f)
	}
	return e
}

// seedEvents reads the seed story's events as evidence references, by
// message id, straight from the files: what a hop must cite.
func seedEvents(t *testing.T) map[string]idgraph.EventRef {
	t.Helper()
	refs := map[string]idgraph.EventRef{}
	for _, f := range seedFiles {
		file, err := os.Open(filepath.Join("..", "test", "testdata", "seed", f))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			var ev struct {
				Type, MessageID, Event string
				Timestamp              time.Time
				Context                struct{ App struct{ Name string } }
			}
			if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			refs[ev.MessageID] = idgraph.EventRef{
				MessageID: ev.MessageID, Type: ev.Type, Event: ev.Event,
				SourceID: strings.ToLower(ev.Context.App.Name), Timestamp: ev.Timestamp,
			}
		}
		file.Close()
	}
	return refs
}

func TestExplainSeedStoryCitesRealEvents(t *testing.T) {
	e := seedStory(t)
	from, to := mustID("anonymous_id:anon_123"), mustID("android.id:and_1a2b3c4d")
	got, err := e.store.Explain(e.ctx, e.space.ID, from, to)
	if err != nil {
		t.Fatalf("Explain: %v", err)
	}
	p, err := e.store.Profile(e.ctx, e.space.ID, from)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Together || got.FromProfile != p.ID || got.ToProfile != p.ID {
		t.Fatalf("together=%v from_profile=%s to_profile=%s, want true and both %s", got.Together, got.FromProfile, got.ToProfile, p.ID)
	}
	if len(got.Rejections) != 0 {
		t.Errorf("rejections = %+v, want none for identifiers that share a profile", got.Rejections)
	}
	seed := seedEvents(t)
	user := mustID("user_id:abc123def")
	want := []idgraph.Hop{
		{From: from, To: user, Count: 2, SourceIDs: []string{"segkicks"},
			FirstEvent: seed["segkicks-5"], LastEvent: seed["segkicks-6"]},
		{From: user, To: to, Count: 3, SourceIDs: []string{"segkicks", "segruns"},
			FirstEvent: seed["segkicks-7"], LastEvent: seed["segruns-2"]},
	}
	if !reflect.DeepEqual(got.Path, want) {
		t.Errorf("path:\n got %+v\nwant %+v", got.Path, want)
	}
	// Every hop cites events of the story that carried both of its ends.
	for i, h := range got.Path {
		for _, ref := range []idgraph.EventRef{h.FirstEvent, h.LastEvent} {
			if _, ok := seed[ref.MessageID]; !ok {
				t.Errorf("hop %d cites %s, which is not an event of the story", i, ref.MessageID)
			}
		}
	}

	back, err := e.store.Explain(e.ctx, e.space.ID, to, from)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Path) != 2 || back.Path[0].From != to || back.Path[0].To != user || back.Path[1].To != from {
		t.Errorf("reverse path = %+v, want %s -> %s -> %s", back.Path, to, user, from)
	}
}

func TestExplainSegmentLimitExample(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"identify","messageId":"m1","userId":"abc123","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-01T00:00:00Z"}`)
	e.resolve(segruns, `{"type":"identify","messageId":"m2","userId":"abc456","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-02T00:00:00Z"}`)

	from, to := mustID("user_id:abc123"), mustID("user_id:abc456")
	got, err := e.store.Explain(e.ctx, e.space.ID, from, to)
	if err != nil {
		t.Fatalf("Explain: %v", err)
	}
	pa, _ := e.store.Profile(e.ctx, e.space.ID, from)
	pb, _ := e.store.Profile(e.ctx, e.space.ID, to)
	if got.Together || got.FromProfile != pa.ID || got.ToProfile != pb.ID || pa.ID == pb.ID {
		t.Fatalf("together=%v profiles %s, %s; want false and %s, %s (distinct)", got.Together, got.FromProfile, got.ToProfile, pa.ID, pb.ID)
	}
	if len(got.Path) != 0 {
		t.Errorf("path = %+v, want none for identifiers apart", got.Path)
	}
	if len(got.Rejections) != 1 {
		t.Fatalf("rejections = %+v, want exactly one", got.Rejections)
	}
	r := got.Rejections[0]
	at := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	want := idgraph.RejectionRef{
		From: mustID("email:jane@example1.com"), To: to, Rule: "limit:user_id", Detail: r.Detail, At: at, Count: 1,
		Event: idgraph.EventRef{MessageID: "m2", Type: "identify", SourceID: "segruns", Timestamp: at},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("rejection:\n got %+v\nwant %+v", r, want)
	}
	if !strings.Contains(r.Detail, "user_id limit is 1") {
		t.Errorf("detail = %q, want it to say the user_id limit is 1", r.Detail)
	}

	// The same link answers the question asked the other way round.
	back, err := e.store.Explain(e.ctx, e.space.ID, to, from)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Rejections) != 1 || back.Rejections[0].Rule != "limit:user_id" {
		t.Errorf("reverse rejections = %+v, want the limit:user_id link", back.Rejections)
	}
}

func TestExplainNeverSeenTogether(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"m1","userId":"ann","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m2","userId":"bob","timestamp":"2020-01-01T00:01:00Z"}`)
	got, err := e.store.Explain(e.ctx, e.space.ID, mustID("user_id:ann"), mustID("user_id:bob"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Together || got.FromProfile == "" || got.ToProfile == "" || len(got.Rejections) != 0 || len(got.Path) != 0 {
		t.Errorf("got %+v, want apart, both profiles named, no rejection, no path", got)
	}
}

func TestExplainTakesTheShortestChain(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	// A chain a-b-c-d, then one event that sees a and d together.
	e.resolve(segkicks,
		`{"type":"track","event":"x","messageId":"m1","anonymousId":"a","context":{"traits":{"email":"b@x.io"}},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"track","event":"x","messageId":"m2","anonymousId":"c","context":{"traits":{"email":"b@x.io"}},"timestamp":"2020-01-01T00:01:00Z"}`,
		`{"type":"track","event":"x","messageId":"m3","anonymousId":"c","context":{"device":{"type":"ios","id":"d"}},"timestamp":"2020-01-01T00:02:00Z"}`,
		`{"type":"track","event":"x","messageId":"m4","anonymousId":"a","context":{"device":{"type":"ios","id":"d"}},"timestamp":"2020-01-01T00:03:00Z"}`)
	got, err := e.store.Explain(e.ctx, e.space.ID, mustID("anonymous_id:a"), mustID("ios.id:d"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Path) != 1 || got.Path[0].FirstEvent.MessageID != "m4" {
		t.Errorf("path = %+v, want the one hop seen by m4", got.Path)
	}
	long, err := e.store.Explain(e.ctx, e.space.ID, mustID("email:b@x.io"), mustID("ios.id:d"))
	if err != nil {
		t.Fatal(err)
	}
	if len(long.Path) != 2 {
		t.Errorf("path from b to d = %+v, want 2 hops", long.Path)
	}
	same, err := e.store.Explain(e.ctx, e.space.ID, mustID("ios.id:d"), mustID("ios.id:d"))
	if err != nil {
		t.Fatal(err)
	}
	if !same.Together || len(same.Path) != 0 {
		t.Errorf("explain of an identifier with itself = %+v, want together with an empty path", same)
	}
}

func TestExplainUnknownIdentifier(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"identify","messageId":"m1","userId":"ann","timestamp":"2020-01-01T00:00:00Z"}`)
	for _, pair := range [][2]string{{"user_id:ann", "user_id:nobody"}, {"user_id:nobody", "user_id:ann"}} {
		_, err := e.store.Explain(e.ctx, e.space.ID, mustID(pair[0]), mustID(pair[1]))
		if code := idgraph.ErrorCode(err); code != idgraph.ENOTFOUND {
			t.Errorf("Explain(%s, %s) = %v (code %q), want %s", pair[0], pair[1], err, code, idgraph.ENOTFOUND)
		}
		if err != nil && !strings.Contains(idgraph.ErrorMessage(err), "user_id:nobody") {
			t.Errorf("message %q does not name the unknown identifier", idgraph.ErrorMessage(err))
		}
	}
}

// TestExplainPathIsOneBoundedQuery checks the plan of find_explanation: a
// breadth-first ShortestPath with the profile predicate applied while it
// searches, never a fallback that enumerates variable-length paths.
func TestExplainPathIsOneBoundedQuery(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	res, err := e.db.ReadQuery(e.ctx, "explain find_explanation", "EXPLAIN "+cypher.Query("find_explanation"), map[string]any{
		"space": e.space.ID, "from_type": "a", "from_value": "1", "to_type": "b", "to_value": "2",
	})
	if err != nil {
		t.Fatal(err)
	}
	plan, _ := res.Summary.Plan().Arguments()["string-representation"].(string)
	if !strings.Contains(plan, "+ShortestPath") {
		t.Errorf("plan has no ShortestPath operator:\n%s", plan)
	}
	for _, op := range []string{"VarLengthExpand", "AntiConditionalApply"} {
		if strings.Contains(plan, op) {
			t.Errorf("plan contains %s, an enumeration of paths:\n%s", op, plan)
		}
	}
}

// TestFindPathBoundIsMaxExplainHops checks that find_explanation.cypher's
// variable-length bound, which Cypher cannot take as a parameter, is the
// domain's MaxExplainHops.
func TestFindPathBoundIsMaxExplainHops(t *testing.T) {
	bounds := regexp.MustCompile(`OBSERVED_WITH\*\.\.(\d+)\]`).FindAllStringSubmatch(cypher.Query("find_explanation"), -1)
	if len(bounds) != 1 {
		t.Fatalf("find_explanation.cypher has %d OBSERVED_WITH*..N patterns, want 1", len(bounds))
	}
	if got, want := bounds[0][1], strconv.Itoa(idgraph.MaxExplainHops); got != want {
		t.Errorf("find_explanation.cypher bounds a path at %s links, idgraph.MaxExplainHops is %s", got, want)
	}
}
