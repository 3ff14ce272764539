package graph_test

import (
	"testing"

	"github.com/idgraph/idgraph"
)

func TestLocateFollowsMerges(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"track","event":"x","messageId":"m1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"track","event":"x","messageId":"m2","anonymousId":"a2","timestamp":"2020-01-01T01:00:00Z"}`,
	)
	old, err := e.store.Profile(e.ctx, e.space.ID, mustID("anonymous_id:a2"))
	if err != nil {
		t.Fatal(err)
	}
	e.resolve(segkicks, `{"type":"identify","messageId":"m3","userId":"u1","anonymousId":"a1","context":{"traits":{"email":"x@y.z"}},"timestamp":"2020-01-01T02:00:00Z"}`)
	e.resolve(segkicks, `{"type":"identify","messageId":"m4","userId":"u1","anonymousId":"a2","timestamp":"2020-01-01T03:00:00Z"}`)
	live, err := e.store.Profile(e.ctx, e.space.ID, mustID("anonymous_id:a1"))
	if err != nil {
		t.Fatal(err)
	}
	if live.ID == old.ID {
		t.Fatalf("a2's profile %s was not merged away", old.ID)
	}
	loc, err := e.store.Locate(e.ctx, e.space.ID, live.ID)
	if err != nil || loc.Merged || loc.ProfileID != live.ID || loc.Member.Type == "" {
		t.Errorf("Locate(live) = %+v, %v", loc, err)
	}
	loc, err = e.store.Locate(e.ctx, e.space.ID, old.ID)
	if err != nil || !loc.Merged || loc.ProfileID != live.ID {
		t.Errorf("Locate(merged) = %+v, %v; want merged into %s", loc, err, live.ID)
	}
	if _, err := e.store.Locate(e.ctx, e.space.ID, "prf_nope"); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("Locate(unknown) = %v, want ENOTFOUND", err)
	}
	if _, err := e.store.Locate(e.ctx, "another-space", live.ID); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("Locate in another space = %v, want ENOTFOUND", err)
	}
}
