package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

func TestRulesVersions(t *testing.T) {
	ctx := context.Background()
	store := graph.NewStore(graphtest.Open(t))
	space := idgraph.Space{ID: graphtest.Space(t), Rules: idgraph.DefaultRules()}
	src := idgraph.Source{ID: "web"}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	send := func(msg, user, email string) {
		t.Helper()
		e := idgraph.Event{Type: idgraph.EventIdentify, MessageID: msg, Timestamp: t0, UserID: user, Traits: map[string]any{"email": email}}
		if _, err := store.Resolve(ctx, space, src, []idgraph.Event{e}); err != nil {
			t.Fatal(err)
		}
	}

	active, err := store.ActiveRules(ctx, space)
	if err != nil || active.Version != 1 || active.Actor != idgraph.ConfigActor {
		t.Fatalf("active rules of a new space: %+v, %v; want version 1 from the spaces file", active, err)
	}
	// Under version 1, test.com addresses are e-mails like any other.
	send("m1", "u1", "a@test.com")
	if p, err := store.Profile(ctx, space.ID, idgraph.Identifier{Type: "email", Value: "a@test.com"}); err != nil || len(p.Identifiers) != 2 {
		t.Fatalf("under version 1: %+v, %v", p, err)
	}

	v2, err := idgraph.ParseRules([]byte(`{"identifiers": [{"type": "email", "blocked": ["/@test\\.com$/"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.RecordRulesVersion(ctx, space.ID, idgraph.RulesVersion{Version: 2, Rules: v2, Actor: "ops", Reason: "test addresses"}); err != nil {
		t.Fatal(err)
	}
	// The same number again is a conflict: two promotions cannot both win.
	err = store.RecordRulesVersion(ctx, space.ID, idgraph.RulesVersion{Version: 2, Rules: v2, Actor: "other"})
	if idgraph.ErrorCode(err) != idgraph.ECONFLICT {
		t.Errorf("version 2 recorded twice: %v, want ECONFLICT", err)
	}

	// The write path uses version 2 from its commit on: the blocked
	// address is no identifier.
	send("m2", "u2", "b@test.com")
	if _, err := store.Profile(ctx, space.ID, idgraph.Identifier{Type: "email", Value: "b@test.com"}); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("an address version 2 blocks became an identifier: %v", err)
	}
	versions, err := store.RulesVersions(ctx, space)
	if err != nil || len(versions) != 2 {
		t.Fatalf("versions = %+v, %v; want 2", versions, err)
	}
	if v := versions[1]; v.Version != 2 || v.Actor != "ops" || v.Reason != "test addresses" || v.CreatedAt.IsZero() ||
		!v.Rules.IsBlocked(idgraph.Identifier{Type: "email", Value: "x@test.com"}) {
		t.Errorf("version 2 read back as %+v", v)
	}
	// Check judges by the active version.
	rep, err := store.Check(ctx, space, nil)
	if err != nil || len(rep.Violations) != 0 {
		t.Errorf("check: %+v, %v", rep.Violations, err)
	}
}
