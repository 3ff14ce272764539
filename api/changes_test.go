package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
)

const changesRoute = "/v1/spaces/{space}/changes"

// feed is a fake change feed of space alpha: add appends a change and,
// like a commit of this process, closes the signal.
type feed struct {
	mu      sync.Mutex
	changes []idgraph.Change
	signal  chan struct{}
	reads   int
	waits   int // calls of ChangeSignal: long polls that began waiting
}

func newFeed(n int) *feed {
	f := &feed{}
	for range n {
		f.add()
	}
	return f
}

func (f *feed) add() {
	f.mu.Lock()
	defer f.mu.Unlock()
	seq := int64(len(f.changes) + 1)
	id := idgraph.Identifier{Type: "anonymous_id", Value: fmt.Sprint("a", seq)}
	f.changes = append(f.changes, idgraph.Change{
		ID: fmt.Sprint("chg_", seq), Seq: seq, Cursor: idgraph.ChangeCursor(seq), Kind: idgraph.ChangeIdentifierAdded,
		At: t0, ProfileID: "prf_1", Identifier: &id, Evidence: idgraph.Evidence{MessageID: fmt.Sprint("m", seq), SourceID: "segkicks"},
	})
	if f.signal != nil {
		close(f.signal)
		f.signal = nil
	}
}

func (f *feed) Changes(ctx context.Context, space string, after int64, limit int) ([]idgraph.Change, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if space != "alpha" {
		return nil, fmt.Errorf("read space %s", space)
	}
	var out []idgraph.Change
	for _, c := range f.changes {
		if c.Seq > after && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, ctx.Err()
}

func (f *feed) ChangeSignal(string) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits++
	if f.signal == nil {
		f.signal = make(chan struct{})
	}
	return f.signal
}

// awaitWaiter returns once a long poll waits on f's signal, so a test acts
// on a waiting poll however slowly its goroutine was scheduled.
func (f *feed) awaitWaiter(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		f.mu.Lock()
		waits := f.waits
		f.mu.Unlock()
		if waits > 0 {
			return
		}
	}
	t.Fatal("no long poll waited on the feed within 5s")
}

func (f *feed) readCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reads
}

// changesCall sends GET target to a server over f with token and ctx.
func changesCall(t *testing.T, srv *api.Server, ctx context.Context, target, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil).WithContext(ctx)
	if token != "" {
		req.SetBasicAuth(token, "")
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	return rec
}

func changesServer(t *testing.T, f *feed) *api.Server {
	cfg := api.Config{Spaces: testSpaces(t), ChangePoll: 10 * time.Millisecond}
	if f != nil {
		cfg.Changes = f
	}
	return api.New(cfg)
}

type changesBody struct {
	Data []struct {
		ID, Cursor, Kind string
	}
	Cursor struct {
		HasMore bool `json:"has_more"`
		Next    string
	}
}

func decodeChanges(t *testing.T, rec *httptest.ResponseRecorder) changesBody {
	t.Helper()
	var b changesBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	return b
}

func TestChangesPages(t *testing.T) {
	doc := openapiDoc(t)
	srv := changesServer(t, newFeed(5))
	cur := idgraph.ChangeCursor
	tests := []struct {
		query    string
		wantIDs  string
		wantMore bool
		wantNext string
	}{
		{"", "chg_1 chg_2 chg_3 chg_4 chg_5", false, cur(5)},
		{"?limit=2", "chg_1 chg_2", true, cur(2)},
		{"?after=" + cur(2) + "&limit=2", "chg_3 chg_4", true, cur(4)},
		{"?after=" + cur(3), "chg_4 chg_5", false, cur(5)},
		{"?after=" + cur(5), "", false, cur(5)},
		{"?after=" + cur(5) + "&wait=0", "", false, cur(5)},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := changesCall(t, srv, context.Background(), "/v1/spaces/alpha/changes"+tt.query, alphaReadToken)
			if rec.Code != 200 {
				t.Fatalf("status %d, body %s", rec.Code, rec.Body)
			}
			checkAnswer(t, doc, "GET", changesRoute, rec)
			b := decodeChanges(t, rec)
			var ids []string
			for _, c := range b.Data {
				ids = append(ids, c.ID)
				var seq int64
				if _, err := fmt.Sscanf(c.ID, "chg_%d", &seq); err != nil || c.Cursor != cur(seq) {
					t.Errorf("change %s has cursor %q, want %q", c.ID, c.Cursor, cur(seq))
				}
			}
			if got := strings.Join(ids, " "); got != tt.wantIDs || b.Cursor.HasMore != tt.wantMore || b.Cursor.Next != tt.wantNext {
				t.Errorf("got %q has_more=%v next=%q; want %q, %v, %q", got, b.Cursor.HasMore, b.Cursor.Next, tt.wantIDs, tt.wantMore, tt.wantNext)
			}
		})
	}
}

func TestChangesBadParameters(t *testing.T) {
	doc := openapiDoc(t)
	srv := changesServer(t, newFeed(1))
	tests := []struct{ query, field string }{
		{"?after=nonsense", "after"},
		{"?after=eyJhdCI6MX0", "after"}, // another route's cursor
		{"?limit=0", "limit"},
		{"?limit=1001", "limit"},
		{"?limit=ten", "limit"},
		{"?wait=61s", "wait"},
		{"?wait=-1s", "wait"},
		{"?wait=soon", "wait"},
		{"?wait=120", "wait"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := changesCall(t, srv, context.Background(), "/v1/spaces/alpha/changes"+tt.query, alphaToken)
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"`+tt.field+`"`) {
				t.Errorf("status %d, body %s; want 400 naming %s", rec.Code, rec.Body, tt.field)
			}
			checkAnswer(t, doc, "GET", changesRoute, rec)
		})
	}
}

func TestChangesAuth(t *testing.T) {
	doc := openapiDoc(t)
	tests := []struct {
		name, token string
		feed        *feed
		want        int
	}{
		{"no token", "", newFeed(1), 401},
		{"another space's token", betaToken, newFeed(1), 404},
		{"admin implies read", alphaAdminToken, newFeed(1), 200},
		{"no feed configured", alphaToken, nil, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := changesCall(t, changesServer(t, tt.feed), context.Background(), "/v1/spaces/alpha/changes", tt.token)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d (body %s)", rec.Code, tt.want, rec.Body)
			}
			checkAnswer(t, doc, "GET", changesRoute, rec)
		})
	}
}

// longPoll is a long poll's answer and how long it took.
type longPoll struct {
	rec  *httptest.ResponseRecorder
	took time.Duration
}

// waitFor sends a long poll in the background.
func waitFor(t *testing.T, srv *api.Server, ctx context.Context, query string) <-chan longPoll {
	out := make(chan longPoll, 1)
	go func() {
		start := time.Now()
		rec := changesCall(t, srv, ctx, "/v1/spaces/alpha/changes"+query, alphaToken)
		out <- longPoll{rec, time.Since(start)}
	}()
	return out
}

func TestChangesWaitAnswersWhenAChangeCommits(t *testing.T) {
	f := newFeed(2)
	srv := changesServer(t, f)
	got := waitFor(t, srv, context.Background(), "?after="+idgraph.ChangeCursor(2)+"&wait=30s")
	f.awaitWaiter(t)
	select {
	case r := <-got:
		t.Fatalf("answered before any change: status %d, body %s", r.rec.Code, r.rec.Body)
	default:
	}
	f.add()
	select {
	case r := <-got:
		b := decodeChanges(t, r.rec)
		if r.rec.Code != 200 || len(b.Data) != 1 || b.Data[0].ID != "chg_3" || b.Cursor.Next != idgraph.ChangeCursor(3) {
			t.Errorf("status %d, body %s; want change 3 alone", r.rec.Code, r.rec.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a 30s long poll did not answer within 5s of a change")
	}
}

func TestChangesWaitRunsOutEmpty(t *testing.T) {
	srv := changesServer(t, newFeed(2))
	r := <-waitFor(t, srv, context.Background(), "?after="+idgraph.ChangeCursor(2)+"&wait=300ms")
	b := decodeChanges(t, r.rec)
	if r.rec.Code != 200 || len(b.Data) != 0 || b.Cursor.Next != idgraph.ChangeCursor(2) || b.Cursor.HasMore {
		t.Errorf("status %d, body %s; want no change and the same cursor", r.rec.Code, r.rec.Body)
	}
	if r.took < 300*time.Millisecond || r.took > 3*time.Second {
		t.Errorf("answered after %s, want about 300ms", r.took)
	}
	if body := r.rec.Body.String(); !strings.Contains(body, `"data":[]`) {
		t.Errorf("body %s, want data as []", body)
	}
}

func TestChangesWaitStopsWhenTheClientLeaves(t *testing.T) {
	f := newFeed(1)
	srv := changesServer(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	got := waitFor(t, srv, ctx, "?after="+idgraph.ChangeCursor(1)+"&wait=30s")
	f.awaitWaiter(t)
	cancel()
	select {
	case r := <-got:
		if r.rec.Code != 499 || r.rec.Body.Len() != 0 {
			t.Errorf("status %d, body %q; want 499 and nothing sent", r.rec.Code, r.rec.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the long poll went on after its client left")
	}
	reads := f.readCount()
	time.Sleep(100 * time.Millisecond)
	if f.readCount() != reads {
		t.Error("the feed is still read after the client left")
	}
}

func TestChangesDrainEndsLongPolls(t *testing.T) {
	f := newFeed(1)
	srv := changesServer(t, f)
	got := waitFor(t, srv, context.Background(), "?after="+idgraph.ChangeCursor(1)+"&wait=30s")
	f.awaitWaiter(t)
	srv.Drain()
	select {
	case r := <-got:
		if b := decodeChanges(t, r.rec); r.rec.Code != 200 || len(b.Data) != 0 || b.Cursor.Next != idgraph.ChangeCursor(1) {
			t.Errorf("status %d, body %s; want an empty answer", r.rec.Code, r.rec.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Drain did not end the long poll")
	}
	r := <-waitFor(t, srv, context.Background(), "?after="+idgraph.ChangeCursor(1)+"&wait=30s")
	if r.took > 2*time.Second || r.rec.Code != 200 {
		t.Errorf("a long poll after Drain: status %d after %s, want 200 at once", r.rec.Code, r.took)
	}
}
