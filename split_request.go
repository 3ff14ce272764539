package idgraph

import "fmt"

// A split request: what to cut, named by identifiers, links, a pair or an
// event, validated before anything is read.

// Split is a request to divide a profile. Exactly one of Identifiers, Cut,
// Apart and Event says what to cut:
//   - Identifiers leave the profile together: every link between them and
//     the rest is cut;
//   - Cut names the links to cut;
//   - Apart names two identifiers: the links of least evidence whose removal
//     separates them are cut (MinCut);
//   - Event undoes what one event joined: the links it created are cut.
//
// Cut links are kept as evidence, never deleted. Unless Forget, the parts
// are kept apart afterwards by never decisions.
type Split struct {
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Cut         []LinkRef    `json:"cut,omitempty"`
	Apart       []Identifier `json:"apart,omitempty"`
	Event       *EventKey    `json:"event,omitempty"`
	// Forget, when true, records no never decision between the parts.
	Forget bool   `json:"-"`
	Reason string `json:"reason,omitempty"`
}

// LinkRef names the link between two identifiers.
type LinkRef struct {
	From Identifier `json:"from"`
	To   Identifier `json:"to"`
}

// EventKey names a stored event: message ids are unique per source.
type EventKey struct {
	SourceID  string `json:"source_id"`
	MessageID string `json:"message_id"`
}

// Validate reports every problem of the request, naming its field.
// Errors: EINVALID.
func (s Split) Validate() error {
	var ps Problems
	modes := 0
	for _, set := range []bool{len(s.Identifiers) > 0, len(s.Cut) > 0, len(s.Apart) > 0, s.Event != nil} {
		if set {
			modes++
		}
	}
	if modes != 1 {
		ps.Add("split", "give exactly one of identifiers, cut, apart and event (got %d)", modes)
	}
	if len(s.Apart) > 0 && len(s.Apart) != 2 {
		ps.Add("apart", "want two identifiers, got %d", len(s.Apart))
	}
	if len(s.Apart) == 2 && s.Apart[0] == s.Apart[1] {
		ps.Add("apart[1]", "%s is the same identifier as apart[0]", s.Apart[1])
	}
	for i, l := range s.Cut {
		if l.From == l.To {
			ps.Add(fmt.Sprintf("cut[%d]", i), "a link joins two identifiers, not %s with itself", l.From)
		}
	}
	if s.Event != nil {
		if s.Event.SourceID == "" {
			ps.Add("event.source_id", "missing")
		}
		if s.Event.MessageID == "" {
			ps.Add("event.message_id", "missing")
		}
	}
	if len(s.Reason) > MaxReasonBytes {
		ps.Add("reason", "%d bytes: at most %d", len(s.Reason), MaxReasonBytes)
	}
	return ps.Err()
}
