package idgraph

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// Link decisions: a person's ruling on two identifiers, stored in the graph
// and honoured by every later event, by rebuild and by check.
const (
	// DecisionNever keeps two identifiers out of one profile: an event
	// that would join them is refused with the rule RuleManualNever.
	DecisionNever = "never"
	// DecisionAlways joins two identifiers with manual evidence; the
	// rules' limits still apply.
	DecisionAlways = "always"

	// RuleManualNever is the rule of a REJECTED link that a never
	// decision refused.
	RuleManualNever = "manual:never"

	// MaxReasonBytes bounds the reason given for a correction.
	MaxReasonBytes = 1000

	// ManualSourceID and ManualEventType name the events that carry the
	// links always decisions make: the evidence explanations cite.
	ManualSourceID  = "manual"
	ManualEventType = "link"
)

// LinkDecision is a never or always decision between two identifiers. A
// and B are in canonical order (A.Less(B)).
type LinkDecision struct {
	ID       string     `json:"id"`
	A        Identifier `json:"a"`
	B        Identifier `json:"b"`
	Decision string     `json:"decision"`
	Reason   string     `json:"reason"`
	// Actor is who decided: the access token's name, or the CLI's user.
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
}

// LinkResult is what recording a decision did: the decision (the one
// already made, when Created is false), the split that a never decision
// applied, or the profile an always decision joined the two into.
type LinkResult struct {
	Decision  LinkDecision `json:"decision"`
	Created   bool         `json:"created"`
	Split     *SplitPlan   `json:"split,omitempty"`
	ProfileID string       `json:"profile_id,omitempty"`
}

// LinkCursor is a position in a space's list of decisions.
type LinkCursor struct {
	At time.Time `json:"at"`
	ID string    `json:"id"`
}

// NewLinkDecision validates a decision and returns it with a new id, its
// identifiers in canonical order. Errors: EINVALID naming every field at
// fault (a, b, decision, reason).
func NewLinkDecision(a, b Identifier, decision, reason, actor string, at time.Time) (LinkDecision, error) {
	var ps Problems
	if a == (Identifier{}) {
		ps.Add("a", "missing: want an identifier as type:value")
	}
	if b == (Identifier{}) {
		ps.Add("b", "missing: want an identifier as type:value")
	}
	if a != (Identifier{}) && a == b {
		ps.Add("b", "%s is the same identifier as a: a link joins two identifiers", b)
	}
	switch decision {
	case DecisionNever, DecisionAlways:
	case "":
		ps.Add("decision", "missing: want %q or %q", DecisionNever, DecisionAlways)
	default:
		ps.Add("decision", "%q: want %q or %q", decision, DecisionNever, DecisionAlways)
	}
	reason = strings.TrimSpace(reason)
	if len(reason) > MaxReasonBytes {
		ps.Add("reason", "%d bytes: at most %d", len(reason), MaxReasonBytes)
	}
	if err := ps.Err(); err != nil {
		return LinkDecision{}, err
	}
	if b.Less(a) {
		a, b = b, a
	}
	return LinkDecision{ID: newDecisionID(), A: a, B: b, Decision: decision, Reason: reason, Actor: actor, At: at}, nil
}

// Other returns the identifier of the decision that is not id.
func (d LinkDecision) Other(id Identifier) Identifier {
	if d.A == id {
		return d.B
	}
	return d.A
}

func newDecisionID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "lnk_" + hex.EncodeToString(b[:])
}

// NewCorrectionID returns a new random correction id ("cor_" and 24 hex
// digits).
func NewCorrectionID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "cor_" + hex.EncodeToString(b[:])
}
