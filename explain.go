package idgraph

import (
	"regexp"
	"time"
)

// Hop is one edge of an explanation's chain, with its evidence.
type Hop struct {
	From       Identifier `json:"from"`
	To         Identifier `json:"to"`
	Count      int        `json:"count"`
	SourceIDs  []string   `json:"source_ids"`
	FirstEvent EventRef   `json:"first_event"`
	LastEvent  EventRef   `json:"last_event"`
	// Decision is the always decision whose manual event (source
	// ManualSourceID) is the hop's evidence: a person joined the two.
	Decision *DecisionRef `json:"decision,omitempty"`
}

// ManualEventID returns the message id of the hop's evidence that a manual
// event (an always decision's, source ManualSourceID) is, first or last:
// the id of that decision. "" when people did not join the two.
func (h Hop) ManualEventID() string {
	for _, e := range []EventRef{h.FirstEvent, h.LastEvent} {
		if e.SourceID == ManualSourceID && e.MessageID != "" {
			return e.MessageID
		}
	}
	return ""
}

// DecisionRef is a person's never or always decision that an explanation
// cites. Removed is true when the decision has since been deleted: what it
// did stands (the link an always decision made, the joins a never decision
// refused), but it no longer acts.
type DecisionRef struct {
	LinkDecision
	Removed bool `json:"removed,omitempty"`
}

// CutRef is a link a correction cut between two identifiers (a CUT
// relationship): how many events had seen them together, and who cut it,
// when, why and by which correction.
type CutRef struct {
	From         Identifier `json:"from"`
	To           Identifier `json:"to"`
	Count        int        `json:"count"`
	At           time.Time  `json:"at"`
	Actor        string     `json:"actor"`
	Reason       string     `json:"reason,omitempty"`
	CorrectionID string     `json:"correction_id"`
}

// RejectionRef is a REJECTED link: the rule that kept two identifiers apart
// and the event it fired on.
type RejectionRef struct {
	From   Identifier `json:"from"`
	To     Identifier `json:"to"`
	Rule   string     `json:"rule"`
	Detail string     `json:"detail"`
	At     time.Time  `json:"at"`
	Count  int        `json:"count"`
	Event  EventRef   `json:"event"`
}

// neverDecisionID finds the decision id in the detail of a REJECTED link of
// the rule RuleManualNever ("never decision lnk_… by …", see
// Resolver.KeepApart).
var neverDecisionID = regexp.MustCompile(`\bnever decision (lnk_[0-9a-f]+)\b`)

// DecisionID returns the id of the never decision that made the rejection,
// named in its detail; "" for a rejection of another rule.
func (r RejectionRef) DecisionID() string {
	if r.Rule != RuleManualNever {
		return ""
	}
	if m := neverDecisionID.FindStringSubmatch(r.Detail); m != nil {
		return m[1]
	}
	return ""
}

// MaxExplainHops bounds the chain of evidence an explanation looks for: a
// shortest path of at most this many OBSERVED_WITH links. Cypher cannot take
// a path length as a parameter, so cypher/find_explanation.cypher writes it out;
// graph/'s tests check that the two agree.
const MaxExplainHops = 1000

// Explanation says why two identifiers share a profile or why they do not.
type Explanation struct {
	From        Identifier `json:"from"`
	To          Identifier `json:"to"`
	Together    bool       `json:"together"`
	FromProfile string     `json:"from_profile"`
	ToProfile   string     `json:"to_profile"`
	// Path is the shortest chain of evidence when Together; empty when no
	// chain of at most MaxExplainHops links joins them.
	Path []Hop `json:"path,omitempty"`
	// Rejections are the REJECTED links between the two profiles when not
	// Together; none means the two were never seen together.
	Rejections []RejectionRef `json:"rejections,omitempty"`
	// Decisions are the never decisions that keep the two apart when not
	// Together: between a member of one profile and a member of the other
	// (the two themselves, maybe), or named by a REJECTED link of the rule
	// RuleManualNever between the profiles.
	Decisions []DecisionRef `json:"decisions,omitempty"`
	// Cuts are the links corrections cut between the two profiles, when
	// not Together: between a member of one and a member of the other, or
	// the two links of one correction that met at an identifier it took
	// out of the path between them.
	Cuts []CutRef `json:"cuts,omitempty"`
	// Shared are the marks of the two identifiers, those of them that are
	// shared: a shared identifier joins no profile.
	Shared []SharedMark `json:"shared,omitempty"`
}
