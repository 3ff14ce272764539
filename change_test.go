package idgraph

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// changeTexts renders changes as "kind profile detail @message".
func changeTexts(cs []Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		s := c.Kind + " " + c.ProfileID
		if c.Identifier != nil {
			s += " " + c.Identifier.String()
		}
		if c.From != "" {
			s += " " + c.From + "->" + c.Into
		}
		out[i] = s + " @" + c.Evidence.MessageID + "/" + c.Evidence.SourceID
	}
	return out
}

// TestResolverRecordsChanges checks the journal the feed records, in the
// order things happened within the batch: a profile created with its
// identifiers, merged into an older one, a refused identifier starting a
// profile of its own, each citing its event.
func TestResolverRecordsChanges(t *testing.T) {
	old := known("P0", t0.Add(-time.Hour), 0, "user_id:u1")
	r := run(t, DefaultRules(), []Profile{old},
		ev(0, "anonymous_id:a1", "ios.id:d1"),
		ev(time.Minute, "anonymous_id:a1", "user_id:u1"),
		ev(2*time.Minute, "anonymous_id:a1", "user_id:u2"),
		ev(3*time.Minute, "user_id:u1", "user_id:u4"),
		ev(4*time.Minute, "user_id:u1"),
	)
	want := []string{
		"profile.created p1 @m1/src",
		"identifier.added p1 anonymous_id:a1 @m1/src",
		"identifier.added p1 ios.id:d1 @m1/src",
		"profile.merged P0 p1->P0 @m2/src",
		"profile.created p2 @m3/src",
		"identifier.added p2 user_id:u2 @m3/src",
		"profile.created p3 @m4/src",
		"identifier.added p3 user_id:u4 @m4/src",
	}
	if got := changeTexts(r.Result().Changes); !slices.Equal(got, want) {
		t.Errorf("changes:\n got %q\nwant %q", got, want)
	}
}

// TestResolverChangesNameTheDecisionsActor: an always decision's manual
// event cites the person who made it.
func TestResolverChangesNameTheDecisionsActor(t *testing.T) {
	r := NewResolver(DefaultRules(), nil, counter())
	e := Event{Type: ManualEventType, MessageID: "lnk_1", Timestamp: t0, Properties: map[string]any{"actor": "ops"}}
	r.Apply(e, ManualSourceID, ids("user_id:u1", "email:a@b.c"))
	for _, c := range r.Result().Changes {
		if c.Evidence != (Evidence{MessageID: "lnk_1", SourceID: ManualSourceID, Actor: "ops"}) {
			t.Errorf("%s: evidence %+v, want the decision, its source and actor ops", c.Kind, c.Evidence)
		}
	}
}

func TestCorrectionChanges(t *testing.T) {
	part := func(pid string, kept bool, members ...string) SplitPart {
		p := SplitPart{ProfileID: pid, Kept: kept}
		for _, m := range members {
			p.Identifiers = append(p.Identifiers, Sighting{Identifier: id(m)})
		}
		return p
	}
	plan := SplitPlan{
		ProfileID: "P", CorrectionID: "cor_1", Actor: "ops", Reason: "kiosk",
		Parts: []SplitPart{part("P", true, "user_id:u1", "anonymous_id:a1"), part("Q", false, "ios.id:d1")},
	}
	split := SplitChange(plan)
	wantEv := Evidence{CorrectionID: "cor_1", Actor: "ops", Reason: "kiosk"}
	if split.Kind != ChangeProfileSplit || split.ProfileID != "P" || split.Evidence != wantEv || len(split.Parts) != 2 ||
		!split.Parts[0].Kept || split.Parts[1].ProfileID != "Q" || !slices.Equal(split.Parts[1].Identifiers, ids("ios.id:d1")) {
		t.Errorf("split change = %+v", split)
	}
	kept := Removal{Identifier: id("ios.id:d1"), SplitPlan: plan}
	if got := RemovalChange(kept); got.Kind != ChangeIdentifierRemoved || *got.Identifier != id("ios.id:d1") || got.Suppressed || len(got.Parts) != 2 {
		t.Errorf("removal = %+v, want the identifier's own part listed", got)
	}
	gone := Removal{Identifier: id("ios.id:d1"), Suppressed: true, SplitPlan: plan}
	if got := RemovalChange(gone); !got.Suppressed || len(got.Parts) != 1 || got.Parts[0].ProfileID != "P" {
		t.Errorf("suppressed removal = %+v, want only the part left in the graph", got)
	}
	d := DeletionChange(Deletion{ProfileID: "P", Identifiers: ids("user_id:u1")}, "privacy")
	if d.Kind != ChangeProfileDeleted || d.ProfileID != "P" || d.Evidence.Actor != "privacy" || !slices.Equal(d.Identifiers, ids("user_id:u1")) {
		t.Errorf("deletion change = %+v", d)
	}
}

func TestChangeCursor(t *testing.T) {
	for _, seq := range []int64{0, 1, 42, 1 << 40} {
		got, err := ParseChangeCursor(ChangeCursor(seq))
		if err != nil || got != seq {
			t.Errorf("ParseChangeCursor(ChangeCursor(%d)) = %d, %v", seq, got, err)
		}
	}
	b64 := base64.RawURLEncoding.EncodeToString
	for _, bad := range []string{"", "12", "!!", b64([]byte(`{"at":"x"}`)), b64([]byte("chg:-1")), b64([]byte("chg:x"))} {
		if _, err := ParseChangeCursor(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseChangeCursor(%q): err %v, want EINVALID", bad, err)
		}
	}
}

// fakeFeed is a ChangeService in memory: add appends a change and, when
// local, closes the signal as a commit of this process does.
type fakeFeed struct {
	mu      sync.Mutex
	changes []Change
	signal  chan struct{}
	reads   int
}

func (f *fakeFeed) add(local bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := int64(len(f.changes) + 1)
	f.changes = append(f.changes, Change{Seq: n, ID: fmt.Sprint("c", n)})
	if local && f.signal != nil {
		close(f.signal)
		f.signal = nil
	}
}

func (f *fakeFeed) Changes(ctx context.Context, _ string, after int64, limit int) ([]Change, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	var out []Change
	for _, c := range f.changes {
		if c.Seq > after && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, ctx.Err()
}

func (f *fakeFeed) ChangeSignal(string) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.signal == nil {
		f.signal = make(chan struct{})
	}
	return f.signal
}

func TestWaitChanges(t *testing.T) {
	ctx := context.Background()
	later := func(d time.Duration, fn func()) { time.AfterFunc(d, fn) }
	tests := []struct {
		name       string
		setup      func(*fakeFeed, context.CancelFunc)
		wait, poll time.Duration
		want       int
		err        error
		within     time.Duration
		atLeast    time.Duration
	}{
		{"changes waiting answer at once", func(f *fakeFeed, _ context.CancelFunc) { f.add(false); f.add(false) }, time.Minute, time.Minute, 2, nil, time.Second, 0},
		{"no wait answers empty at once", func(*fakeFeed, context.CancelFunc) {}, 0, time.Minute, 0, nil, time.Second, 0},
		{"a local commit wakes the wait", func(f *fakeFeed, _ context.CancelFunc) { later(50*time.Millisecond, func() { f.add(true) }) }, time.Minute, time.Minute, 1, nil, 5 * time.Second, 40 * time.Millisecond},
		{"another process's change is polled", func(f *fakeFeed, _ context.CancelFunc) { later(50*time.Millisecond, func() { f.add(false) }) }, time.Minute, 20 * time.Millisecond, 1, nil, 5 * time.Second, 40 * time.Millisecond},
		{"nothing within wait answers empty", func(*fakeFeed, context.CancelFunc) {}, 100 * time.Millisecond, 30 * time.Millisecond, 0, nil, 5 * time.Second, 100 * time.Millisecond},
		{"the caller's end stops the wait", func(_ *fakeFeed, cancel context.CancelFunc) { later(50*time.Millisecond, cancel) }, time.Minute, time.Minute, 0, context.Canceled, 5 * time.Second, 40 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeFeed{}
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			tt.setup(f, cancel)
			start := time.Now()
			got, err := WaitChanges(ctx, f, "s", 0, 10, tt.wait, tt.poll)
			took := time.Since(start)
			if len(got) != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("got %d changes, err %v; want %d, %v", len(got), err, tt.want, tt.err)
			}
			if took > tt.within || took < tt.atLeast {
				t.Errorf("took %s, want from %s to %s", took, tt.atLeast, tt.within)
			}
		})
	}
}
