package idgraph

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// The kinds of change a space's feed records.
const (
	ChangeProfileCreated    = "profile.created"
	ChangeIdentifierAdded   = "identifier.added"
	ChangeProfileMerged     = "profile.merged"
	ChangeProfileSplit      = "profile.split"
	ChangeIdentifierRemoved = "identifier.removed"
	ChangeProfileDeleted    = "profile.deleted"
)

// Change is one entry of a space's change feed: what changed, in which
// profile, and the evidence for it. A space's changes are numbered in the
// order their transactions committed (Seq), with no gaps; the feed is
// append-only.
type Change struct {
	// ID names the change for good: a consumer that sees an id twice (a
	// webhook delivers at least once) has seen the change before.
	ID string `json:"id"`
	// Seq is the change's number in its space's feed; Cursor encodes it
	// for clients (ChangeCursor).
	Seq    int64  `json:"-"`
	Cursor string `json:"cursor"`
	Kind   string `json:"kind"`
	// At is when the change was recorded (the database's clock); the order
	// of the feed is Seq's, not At's.
	At time.Time `json:"at"`
	// ProfileID is the profile changed: the one created, added to, merged
	// into, split, left or deleted.
	ProfileID string `json:"profile_id"`
	// Identifier is the identifier added or removed.
	Identifier *Identifier `json:"identifier,omitempty"`
	// From and Into are a merge's profiles: From was merged into Into.
	From string `json:"from,omitempty"`
	Into string `json:"into,omitempty"`
	// Parts are the profiles a split (or a removal that cut a profile
	// apart) left, each with its identifiers; Kept marks the part that
	// kept ProfileID.
	Parts []ChangePart `json:"parts,omitempty"`
	// Suppressed is true when a removed identifier was also suppressed.
	Suppressed bool `json:"suppressed,omitempty"`
	// Identifiers are a deleted profile's identifiers, now suppressed.
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Evidence    Evidence     `json:"evidence"`
}

// ChangePart is one profile a split left.
type ChangePart struct {
	ProfileID   string       `json:"profile_id"`
	Identifiers []Identifier `json:"identifiers"`
	Kept        bool         `json:"kept"`
}

// Evidence is why a change happened: the event that caused it (message id
// and source), or the correction (its id, who made it and why); a delete
// names who asked for it.
type Evidence struct {
	MessageID    string `json:"message_id,omitempty"`
	SourceID     string `json:"source_id,omitempty"`
	CorrectionID string `json:"correction_id,omitempty"`
	Actor        string `json:"actor,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// ChangeService reads a space's change feed. graph.Store is one.
type ChangeService interface {
	// Changes returns the space's changes numbered after after (0: from the
	// first), in order, at most limit of them.
	Changes(ctx context.Context, space string, after int64, limit int) ([]Change, error)

	// ChangeSignal returns a channel that is closed when this process next
	// commits a change to space. Take it before reading the feed, and a
	// change committed between the read and the wait is not missed.
	// Changes other processes commit do not close it: poll for those.
	ChangeSignal(space string) <-chan struct{}
}

// cursorPrefix starts every change cursor, so that a cursor of another
// route is refused rather than read as a number.
const cursorPrefix = "chg:"

// ChangeCursor returns the opaque cursor of the change numbered seq: a
// client sends it back as after to read the changes that follow.
func ChangeCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(seq, 10)))
}

// ParseChangeCursor returns the number a ChangeCursor encodes. EINVALID
// when s is no change cursor.
func ParseChangeCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		if n, ok := strings.CutPrefix(string(b), cursorPrefix); ok {
			if seq, err := strconv.ParseInt(n, 10, 64); err == nil && seq >= 0 {
				return seq, nil
			}
		}
	}
	return 0, Errorf(EINVALID, "not a change cursor: send the cursor of the last change seen")
}

// WaitChanges returns the space's changes after after, at most limit; when
// there are none, it waits up to wait for one, answering as soon as this
// process commits a change (feed.ChangeSignal) and reading the feed again
// every poll for other processes' changes. No change within wait is an
// empty answer; ctx's end stops the wait with ctx's error.
func WaitChanges(ctx context.Context, feed ChangeService, space string, after int64, limit int, wait, poll time.Duration) ([]Change, error) {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		signal := feed.ChangeSignal(space)
		changes, err := feed.Changes(ctx, space, after, limit)
		if err != nil || len(changes) > 0 || wait <= 0 {
			return changes, err
		}
		tick := time.NewTimer(poll)
		select {
		case <-signal:
		case <-tick.C:
		case <-deadline.C:
			tick.Stop()
			return nil, nil
		case <-ctx.Done():
			tick.Stop()
			return nil, ctx.Err()
		}
		tick.Stop()
	}
}
