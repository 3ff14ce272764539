package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
)

// feed reads the whole of the space's feed and checks that it is numbered
// 1, 2, 3... with distinct ids and cursors that encode the numbers.
func (e *env) feed() []idgraph.Change {
	e.t.Helper()
	changes, err := e.store.Changes(e.ctx, e.space.ID, 0, 10000)
	if err != nil {
		e.t.Fatalf("changes: %v", err)
	}
	ids := map[string]bool{}
	for i, c := range changes {
		if c.Seq != int64(i+1) || ids[c.ID] || !strings.HasPrefix(c.ID, "chg_") || c.At.IsZero() || c.Cursor != idgraph.ChangeCursor(c.Seq) {
			e.t.Fatalf("change %d: seq %d, id %q, at %s, cursor %q: want seq %d, a new chg_ id, a time and its cursor", i, c.Seq, c.ID, c.At, c.Cursor, i+1)
		}
		ids[c.ID] = true
	}
	return changes
}

// changeLines renders changes as "kind identifier-or-merge @evidence".
func changeLines(cs []idgraph.Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		s := c.Kind
		if c.Identifier != nil {
			s += " " + c.Identifier.String()
		}
		if c.Kind == idgraph.ChangeProfileMerged {
			s += " from-into"
		}
		ev := c.Evidence
		out[i] = s + " @" + strings.Join(slices.DeleteFunc([]string{ev.MessageID, ev.SourceID, ev.CorrectionID, ev.Actor}, func(s string) bool { return s == "" }), "/")
	}
	return out
}

func TestFeedRecordsWhatEventsChange(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"track","event":"x","messageId":"m1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"m2","userId":"u1","timestamp":"2020-01-01T00:01:00Z"}`,
	)
	e.resolve(segruns,
		`{"type":"identify","messageId":"m3","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:02:00Z"}`,
		`{"type":"identify","messageId":"m3","userId":"u1","anonymousId":"a1","timestamp":"2020-01-01T00:02:00Z"}`,
	)
	// A replay changes nothing, and records nothing.
	e.resolve(segkicks, `{"type":"track","event":"x","messageId":"m1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`)

	changes := e.feed()
	want := []string{
		"profile.created @m1/segkicks",
		"identifier.added anonymous_id:a1 @m1/segkicks",
		"profile.created @m2/segkicks",
		"identifier.added user_id:u1 @m2/segkicks",
		"profile.merged from-into @m3/segruns",
	}
	if got := changeLines(changes); !slices.Equal(got, want) {
		t.Fatalf("feed:\n got %q\nwant %q", got, want)
	}
	a1, u1, merged := changes[0].ProfileID, changes[2].ProfileID, changes[4]
	if changes[1].ProfileID != a1 || changes[3].ProfileID != u1 || merged.From != u1 || merged.Into != a1 || merged.ProfileID != a1 {
		t.Errorf("profiles: a1 in %s (added to %s), u1 in %s (added to %s), merge %s into %s (profile %s): want u1's merged into a1's, the older",
			a1, changes[1].ProfileID, u1, changes[3].ProfileID, merged.From, merged.Into, merged.ProfileID)
	}
	// Reading on from a change gives those after it, at most limit.
	page, err := e.store.Changes(e.ctx, e.space.ID, 2, 2)
	if err != nil || len(page) != 2 || page[0].Seq != 3 || page[1].Seq != 4 {
		t.Errorf("Changes(after 2, limit 2) = %+v, %v: want changes 3 and 4", page, err)
	}
}

func TestFeedRecordsCorrectionsAndDeletes(t *testing.T) {
	e := kioskStory(t)
	start := int64(len(e.feed()))
	jane, b1 := mustID("user_id:jane"), mustID("anonymous_id:b1")

	plan, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Apart: []idgraph.Identifier{jane, b1}, Reason: "kiosk"}, "ops", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Split(e.ctx, e.space, jane, idgraph.Split{Identifiers: []idgraph.Identifier{mustID("email:jane@x.com")}}, "ops", true); err != nil {
		t.Fatal(err) // a preview records nothing
	}
	rm, err := e.store.Remove(e.ctx, e.space, jane, mustID("email:jane@x.com"), "typo", "support", true)
	if err != nil {
		t.Fatal(err)
	}
	d := idgraph.LinkDecision{ID: "lnk_feed", A: jane, B: b1, Decision: idgraph.DecisionAlways, Actor: "ops", Reason: "same person", At: plan.At}
	if _, err := e.store.Link(e.ctx, e.space, d, false); err == nil {
		t.Fatal("an always decision against the never decision the split made was accepted")
	}
	e.resolve(segkicks, `{"type":"identify","messageId":"x1","userId":"other","timestamp":"2020-01-03T00:00:00Z"}`)
	d = idgraph.LinkDecision{ID: "lnk_feed", A: b1, B: mustID("user_id:other"), Decision: idgraph.DecisionAlways, Actor: "ops", Reason: "same person", At: plan.At}
	if _, err := e.store.Link(e.ctx, e.space, d, false); err != nil {
		t.Fatal(err)
	}
	del, err := e.store.Delete(e.ctx, e.space.ID, b1, "privacy")
	if err != nil {
		t.Fatal(err)
	}

	all := e.feed()
	got := all[start:]
	want := []string{
		"profile.split @" + plan.CorrectionID + "/ops",
		"identifier.removed email:jane@x.com @" + rm.CorrectionID + "/support",
		"profile.created @x1/segkicks",
		"identifier.added user_id:other @x1/segkicks",
		"profile.merged from-into @lnk_feed/manual/ops",
		"profile.deleted @privacy",
	}
	if lines := changeLines(got); !slices.Equal(lines, want) {
		t.Fatalf("feed after the kiosk story:\n got %q\nwant %q", lines, want)
	}
	split, removed, deleted := got[0], got[1], got[5]
	if split.ProfileID != plan.ProfileID || len(split.Parts) != 2 || split.Parts[1].ProfileID != plan.Parts[1].ProfileID ||
		!slices.Equal(split.Parts[1].Identifiers, []idgraph.Identifier{b1}) || split.Evidence.Reason != "kiosk" {
		t.Errorf("split change %+v, want the profile, both parts (b1's new one second) and the reason", split)
	}
	if !removed.Suppressed || removed.ProfileID != plan.ProfileID || len(removed.Parts) != 1 || removed.Evidence.Reason != "typo" {
		t.Errorf("removal change %+v, want suppressed, from Jane's profile, which is the one part left", removed)
	}
	if deleted.ProfileID != del.ProfileID || !slices.Equal(deleted.Identifiers, del.Identifiers) || len(deleted.Identifiers) != 2 {
		t.Errorf("delete change %+v, want profile %s and its identifiers %v", deleted, del.ProfileID, del.Identifiers)
	}
}

// TestFeedSurvivesARetriedTransaction fails a resolve's transaction after
// its changes were appended, as a deadlock would: the driver runs it again,
// and the feed holds its changes once, numbered on without a gap.
func TestFeedSurvivesARetriedTransaction(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks, `{"type":"track","event":"x","messageId":"m1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`)
	events := stageEvents(t, "1-anonymous-to-known.ndjson")
	attempts := 0
	failOnce := func(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]*neo4j.Record, error) {
		records, err := graph.RunQuery(ctx, tx, name, params)
		if err == nil && name == "append_changes" {
			if attempts++; attempts == 1 {
				return nil, &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected", Msg: "injected"}
			}
		}
		return records, err
	}
	if _, err := e.store.ResolveThrough(e.ctx, e.space, segkicks, events, failOnce); err != nil {
		t.Fatal(err)
	}
	if attempts != 2 {
		t.Fatalf("append_changes ran %d times, want 2: the injected failure was not retried", attempts)
	}
	e.resolve(segkicks, `{"type":"track","event":"x","messageId":"m9","anonymousId":"a9","timestamp":"2020-01-09T00:00:00Z"}`)
	changes := e.feed() // numbered 1, 2, 3... with distinct ids
	var created int
	for _, c := range changes {
		if c.Kind == idgraph.ChangeProfileCreated {
			created++
		}
	}
	if last := changes[len(changes)-1]; last.Evidence.MessageID != "m9" || created < 3 {
		t.Errorf("feed %q: want the retried batch's changes once, then m9's", changeLines(changes))
	}
	if got := e.count(`MATCH (c:Change {space: $space}) RETURN count(c)`); got != int64(len(changes)) {
		t.Errorf("%d Change nodes, %d in the feed", got, len(changes))
	}
}

func TestChangeSignalWakesOnCommit(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	signal := e.store.ChangeSignal(e.space.ID)
	select {
	case <-signal:
		t.Fatal("the signal fired before any commit")
	default:
	}
	e.resolve(segkicks, `{"type":"track","event":"x","messageId":"m1","anonymousId":"a1","timestamp":"2020-01-01T00:00:00Z"}`)
	select {
	case <-signal:
	default:
		t.Fatal("a commit did not close the signal")
	}
	if next := e.store.ChangeSignal(e.space.ID); next == signal {
		t.Error("the next signal is the closed one")
	}
}
