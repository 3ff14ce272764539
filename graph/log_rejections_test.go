package graph_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// rejectionStory refuses three links: a second user id on an anonymous id
// (twice), a second user id on a device, and a join a never decision
// forbids. The rules are Segment's (segment_compatible): by default the
// device, seen with two users, would be shared and refuse no one.
func rejectionStory(t *testing.T) *env {
	e := newEnv(t, idgraph.DefaultRules().SegmentCompatible())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"r1","userId":"u1","anonymousId":"a1","context":{"device":{"id":"d1","type":"ios"}},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"r2","userId":"u2","anonymousId":"a1","timestamp":"2020-01-02T00:00:00Z"}`,
		`{"type":"identify","messageId":"r3","userId":"u3","context":{"device":{"id":"d1","type":"ios"}},"timestamp":"2020-01-03T00:00:00Z"}`,
		`{"type":"identify","messageId":"r4","userId":"u2","anonymousId":"a1","timestamp":"2020-01-04T00:00:00Z"}`,
		`{"type":"track","event":"Viewed","messageId":"r5","anonymousId":"a5","timestamp":"2020-01-05T00:00:00Z"}`,
	)
	d, err := idgraph.NewLinkDecision(mustID("user_id:u1"), mustID("anonymous_id:a5"), idgraph.DecisionNever, "two people", "ops", time.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Link(e.ctx, e.space, d, false); err != nil {
		t.Fatal(err)
	}
	e.resolve(segruns, `{"type":"identify","messageId":"r6","userId":"u1","anonymousId":"a5","timestamp":"2020-01-06T00:00:00Z"}`)
	return e
}

// rejections reads the whole refusal log of e's space for q, size entries
// a page, as "rule from to count first last" lines.
func (e *env) rejections(q idgraph.RejectionQuery, size int) []string {
	e.t.Helper()
	entries := walkLog(e.t, size, func(after *idgraph.LogCursor, limit int) (idgraph.LogPage[idgraph.RejectionEntry], error) {
		q.After, q.Limit = after, limit
		return e.store.Rejections(e.ctx, e.space.ID, q)
	})
	var out []string
	for _, r := range entries {
		out = append(out, r.Rule+" "+r.From.String()+" "+r.To.String()+" "+strconv.Itoa(r.Count)+" "+r.Event.MessageID+"@"+r.Event.Timestamp.Format("02")+" "+r.LastMessageID+"@"+r.LastAt.Format("02"))
	}
	return out
}

func TestRejectionLog(t *testing.T) {
	e := rejectionStory(t)
	never := "manual:never anonymous_id:a5 user_id:u1 1 r6@06 r6@06"
	device := "limit:user_id ios.id:d1 user_id:u3 1 r3@03 r3@03"
	anon := "limit:user_id anonymous_id:a1 user_id:u2 2 r2@02 r4@04"
	all := []string{never, device, anon}
	for _, size := range []int{1, 2, 100} {
		if got := e.rejections(idgraph.RejectionQuery{}, size); !slices.Equal(got, all) {
			t.Errorf("rejections, %d a page:\n got %q\nwant %q", size, got, all)
		}
	}
	page, err := e.store.Rejections(e.ctx, e.space.ID, idgraph.RejectionQuery{LogQuery: idgraph.LogQuery{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if r := page.Entries[0]; !strings.HasPrefix(r.Detail, "never decision lnk_") || r.Event.Type != "identify" || r.Event.SourceID != "segruns" || !r.LiftedAt.IsZero() {
		t.Errorf("the never decision's refusal = %+v, want its detail naming the decision, its identify event from segruns, not lifted", r)
	}
	for _, tt := range []struct {
		name string
		q    idgraph.RejectionQuery
		want []string
	}{
		{"rule manual:never", idgraph.RejectionQuery{Rule: idgraph.RuleManualNever}, []string{never}},
		{"rule limit:user_id", idgraph.RejectionQuery{Rule: "limit:user_id"}, []string{device, anon}},
		{"rule limit:email", idgraph.RejectionQuery{Rule: "limit:email"}, nil},
		{"type ios.id", idgraph.RejectionQuery{Type: "ios.id"}, []string{device}},
		{"type anonymous_id", idgraph.RejectionQuery{Type: "anonymous_id"}, []string{never, anon}},
		{"type user_id and rule", idgraph.RejectionQuery{Type: "user_id", Rule: "limit:user_id"}, []string{device, anon}},
		// since counts from the first refusal: the anonymous id's, first
		// refused on the 2nd, is not in it though refused again on the 4th.
		{"since the 3rd", idgraph.RejectionQuery{LogQuery: idgraph.LogQuery{Since: day(3)}}, []string{never, device}},
		{"until the 3rd", idgraph.RejectionQuery{LogQuery: idgraph.LogQuery{Until: day(3)}}, []string{anon}},
	} {
		if got := e.rejections(tt.q, 1); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// TestRejectionLogFindsLinksRecordedBeforeTheirSpace: REJECTED links written
// before they carried their space are found once migration 021 fills it in.
func TestRejectionLogFindsLinksRecordedBeforeTheirSpace(t *testing.T) {
	e := rejectionStory(t)
	if _, err := e.db.Query(e.ctx, "forget space", `MATCH (:Identifier {space: $space})-[r:REJECTED]->() REMOVE r.space`,
		map[string]any{"space": e.space.ID}); err != nil {
		t.Fatal(err)
	}
	if got := e.rejections(idgraph.RejectionQuery{}, 10); len(got) != 0 {
		t.Fatalf("links without their space are listed: %q", got)
	}
	var backfill string
	for _, m := range cypher.Migrations() {
		if m.Name == "rejected_space" {
			backfill = m.Statement
		}
	}
	if _, err := e.db.Query(e.ctx, "backfill", backfill, nil); err != nil {
		t.Fatal(err)
	}
	if got := e.rejections(idgraph.RejectionQuery{}, 10); len(got) != 3 {
		t.Errorf("after the backfill: %q, want the three links", got)
	}
}
