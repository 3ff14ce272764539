package idgraph

import (
	"strings"
	"time"
)

// A space is watched as a whole through three logs (LogService): every
// merge, every link the rules refused, and every correction people made,
// newest first, a page at a time.

// MaxLogPage is the most entries one page of a log holds.
const MaxLogPage = 100

// LogQuery selects a page of a log: the entries at or after Since and
// before Until (zero: unbounded), newest first by (time, key), after the
// cursor After (the last entry of the previous page) when set, at most
// Limit (1 to MaxLogPage; MaxLogPage when out of range).
type LogQuery struct {
	Since, Until time.Time
	After        *LogCursor
	Limit        int
}

// LogCursor is a position in a log: an entry's time and its key, which
// orders entries of the same time (the merged profile's id, a refused
// link's rule and ends, a correction's id).
type LogCursor struct {
	At  time.Time `json:"at"`
	Key string    `json:"key"`
}

// LogPage is one page of a log: its entries, newest first, and the cursor
// of the last when more follow (nil on the last page).
type LogPage[T any] struct {
	Entries []T
	Next    *LogCursor
}

// logEnd is later than any entry: the upper bound of a log read without
// Until or a cursor.
var logEnd = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// Below returns the position every entry of the page comes strictly before
// (in time, then key): the cursor, or Until when that is earlier, or the
// end of time. A key of "" ranks below every entry of its time, so Until
// itself is excluded.
func (q LogQuery) Below() LogCursor {
	end := LogCursor{At: logEnd}
	if !q.Until.IsZero() {
		end.At = q.Until
	}
	if q.After != nil && q.After.At.Before(end.At) {
		return *q.After
	}
	return end
}

// Size returns how many entries a page holds: Limit, or MaxLogPage when
// Limit is out of range.
func (q LogQuery) Size() int {
	if q.Limit < 1 || q.Limit > MaxLogPage {
		return MaxLogPage
	}
	return q.Limit
}

// Validate reports the problems of a query, by field: since and until
// (until must come after since), next (a cursor needs a time and a key).
func (q LogQuery) Validate() error {
	var ps Problems
	q.problems(&ps)
	return ps.Err()
}

func (q LogQuery) problems(ps *Problems) {
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		ps.Add("until", "must come after since")
	}
	if q.After != nil && (q.After.At.IsZero() || q.After.Key == "") {
		ps.Add("next", "not a cursor of this log")
	}
}

// MergeEntry is one merge of a space's log: the profile merged into the
// one that survived, when, the event that merged them (MessageID and
// SourceID; Event when it is stored: a rebuild's merges cite "rebuild"),
// and the identifiers that bridged them, those the event carried into
// its profile.
type MergeEntry struct {
	At              time.Time    `json:"at"`
	ProfileID       string       `json:"profile_id"`
	MergedProfileID string       `json:"merged_profile_id"`
	MessageID       string       `json:"message_id"`
	SourceID        string       `json:"source_id"`
	Event           *EventRef    `json:"event,omitempty"`
	Identifiers     []Identifier `json:"identifiers"`
}

// RejectionQuery selects a page of a space's refused links: of the rule
// Rule and with an identifier of type Type at either end, when set.
type RejectionQuery struct {
	LogQuery
	Rule, Type string
}

// Validate reports the problems of a query, by field: LogQuery's, rule
// (one ValidRule knows) and type (an identifier type, without ":").
func (q RejectionQuery) Validate() error {
	var ps Problems
	q.problems(&ps)
	if q.Rule != "" && !ValidRule(q.Rule) {
		ps.Add("rule", "want limit:<type>, %s, %s, %s or %s, got %q", RuleMaxMerges, RuleMaxIdentifiers, RuleShared, RuleManualNever, q.Rule)
	}
	if q.Type != "" && (strings.TrimSpace(q.Type) != q.Type || strings.Contains(q.Type, ":")) {
		ps.Add("type", "want an identifier type such as user_id, got %q", q.Type)
	}
	return ps.Err()
}

// ValidRule reports whether rule names a rule a refused link can cite:
// limit:<type>, max_merges, max_identifiers, shared or manual:never.
func ValidRule(rule string) bool {
	switch rule {
	case RuleMaxMerges, RuleMaxIdentifiers, RuleShared, RuleManualNever:
		return true
	}
	typ, ok := strings.CutPrefix(rule, RuleLimit+":")
	return ok && typ != "" && strings.TrimSpace(typ) == typ
}

// RejectionEntry is one refused link of a space's log (a REJECTED link):
// the rule and the first event it fired on, how often it fired and when
// last, and when the pair later joined legitimately (LiftedAt).
type RejectionEntry struct {
	RejectionRef
	LastAt        time.Time `json:"last_at"`
	LastMessageID string    `json:"last_message_id"`
	LiftedAt      time.Time `json:"lifted_at,omitzero"`
}

// CorrectionQuery selects a page of a space's corrections: of the kind
// Kind and by the actor Actor, when set.
type CorrectionQuery struct {
	LogQuery
	Kind, Actor string
}

// CorrectionKinds are the kinds of corrections, as history names them.
var CorrectionKinds = []string{HistorySplit, HistoryLinked, HistoryUnlinked, HistoryIdentifierRemoved}

// Validate reports the problems of a query, by field: LogQuery's and kind
// (one of CorrectionKinds).
func (q CorrectionQuery) Validate() error {
	var ps Problems
	q.problems(&ps)
	if q.Kind != "" && !(HistoryEntry{Kind: q.Kind}).IsCorrection() {
		ps.Add("kind", "want %s, got %q", strings.Join(CorrectionKinds, ", "), q.Kind)
	}
	return ps.Err()
}

// Correction is one correction a person made (a Correction node): its kind,
// who made it, when and why, the profile corrected, every profile it
// changed, and its evidence.
type Correction struct {
	ID         string            `json:"id"`
	Kind       string            `json:"kind"`
	At         time.Time         `json:"at"`
	Actor      string            `json:"actor"`
	Reason     string            `json:"reason,omitempty"`
	ProfileID  string            `json:"profile_id"`
	ProfileIDs []string          `json:"profile_ids"`
	Detail     *CorrectionDetail `json:"detail,omitempty"`
}
