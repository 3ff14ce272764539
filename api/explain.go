package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// explainResponse says why two identifiers share a profile (path: the
// shortest chain of evidence, naming the always decisions people made) or
// why they do not (decisions: the never decisions between their profiles;
// rejections: the rules that kept them apart; cuts: the links corrections
// cut; none of these means never seen together), with a summary a person
// can read.
type explainResponse struct {
	From        idgraph.Identifier     `json:"from"`
	To          idgraph.Identifier     `json:"to"`
	Together    bool                   `json:"together"`
	FromProfile string                 `json:"from_profile"`
	ToProfile   string                 `json:"to_profile"`
	Path        []idgraph.Hop          `json:"path"`
	Rejections  []idgraph.RejectionRef `json:"rejections"`
	Decisions   []idgraph.DecisionRef  `json:"decisions"`
	Cuts        []idgraph.CutRef       `json:"cuts"`
	Shared      []idgraph.SharedMark   `json:"shared"`
	Summary     string                 `json:"summary"`
}

// explainPair reads the two identifiers of GET .../explain?to=type:value:
// the path's and the to parameter's, naming the one at fault.
func explainPair(c *gin.Context) (from, to idgraph.Identifier, err error) {
	if from, err = profileIdentifier(c); err != nil {
		return from, to, err
	}
	raw, ok := c.GetQuery("to")
	if !ok {
		return from, to, invalidParam("to", "missing: want the other identifier as type:value")
	}
	if to, err = idgraph.ParseIdentifier(raw); err != nil {
		return from, to, invalidParam("to", idgraph.ErrorMessage(err))
	}
	return from, to, nil
}

// profileExplain answers GET .../explain?to=type:value.
func (s *Server) profileExplain(c *gin.Context) {
	from, to, err := explainPair(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	x, err := s.explanations.Explain(c.Request.Context(), tokenSpace(c).ID, from, to)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, newExplainResponse(x))
}

// newExplainResponse answers x, its lists empty rather than null.
func newExplainResponse(x idgraph.Explanation) explainResponse {
	res := explainResponse{
		From: x.From, To: x.To, Together: x.Together, FromProfile: x.FromProfile, ToProfile: x.ToProfile,
		Path: x.Path, Rejections: x.Rejections, Decisions: x.Decisions, Cuts: x.Cuts, Shared: x.Shared, Summary: explainSummary(x),
	}
	if res.Shared == nil {
		res.Shared = []idgraph.SharedMark{}
	}
	if res.Path == nil {
		res.Path = []idgraph.Hop{}
	}
	if res.Rejections == nil {
		res.Rejections = []idgraph.RejectionRef{}
	}
	if res.Decisions == nil {
		res.Decisions = []idgraph.DecisionRef{}
	}
	if res.Cuts == nil {
		res.Cuts = []idgraph.CutRef{}
	}
	return res
}

// explainSummary puts an explanation in a sentence or two, naming the
// people whose decisions and corrections are part of the reason, and
// saying of a shared identifier that it is shared and since when.
func explainSummary(x idgraph.Explanation) string {
	var b strings.Builder
	switch {
	case x.Together && x.From == x.To:
		fmt.Fprintf(&b, "%s is in profile %s.", x.From, x.FromProfile)
	case x.Together && len(x.Path) == 0:
		fmt.Fprintf(&b, "%s and %s are in profile %s, but no chain of at most %d links joins them.", x.From, x.To, x.FromProfile, idgraph.MaxExplainHops)
	case x.Together:
		fmt.Fprintf(&b, "%s and %s are in profile %s through %d %s:", x.From, x.To, x.FromProfile, len(x.Path), plural(len(x.Path), "link", "links"))
		for i, h := range x.Path {
			if i > 0 {
				b.WriteString(";")
			}
			b.WriteString(" " + hopText(h))
		}
		b.WriteString(".")
	default:
		fmt.Fprintf(&b, "%s (profile %s) and %s (profile %s)", x.From, x.FromProfile, x.To, x.ToProfile)
		b.WriteString(apartText(x))
	}
	for _, m := range x.Shared {
		b.WriteString(" " + m.Sentence() + ".")
	}
	return b.String()
}

// hopText says how the two ends of a hop came together: the events that
// saw them, or the always decision that joined them.
func hopText(h idgraph.Hop) string {
	if h.Decision != nil {
		s := fmt.Sprintf("%s and %s were joined by %s", h.From, h.To, decisionText(*h.Decision))
		if h.Count > 1 {
			s += fmt.Sprintf(", and seen together in %d events in all, last in %s", h.Count, eventText(h.LastEvent))
		}
		return s
	}
	s := fmt.Sprintf("%s and %s were seen together in %d %s, first in %s",
		h.From, h.To, h.Count, plural(h.Count, "event", "events"), eventText(h.FirstEvent))
	if h.Count > 1 {
		s += fmt.Sprintf(", last in %s", eventText(h.LastEvent))
	}
	return s
}

// apartText says, after the two identifiers and their profiles, what keeps
// them apart: the never decisions people made, the rules that refused
// joins, the links corrections cut.
func apartText(x idgraph.Explanation) string {
	var b strings.Builder
	var refusals []string
	for _, r := range x.Rejections {
		refusals = append(refusals, fmt.Sprintf("rule %s refused to join %s with %s in %s (%s)", r.Rule, r.From, r.To, eventText(r.Event), r.Detail))
	}
	switch {
	case len(x.Decisions) > 0:
		var ds []string
		for _, d := range x.Decisions {
			ds = append(ds, fmt.Sprintf("%s: %s and %s are never in one profile", decisionText(d), d.A, d.B))
		}
		b.WriteString(" are kept apart by " + strings.Join(ds, "; and by ") + ".")
		if len(refusals) > 0 {
			b.WriteString(" Refused since: " + strings.Join(refusals, "; ") + ".")
		}
	case len(refusals) > 0:
		b.WriteString(" are kept apart: " + strings.Join(refusals, "; ") + ".")
	case len(x.Cuts) > 0:
		b.WriteString(" were split apart.")
	default:
		b.WriteString(" were never seen together.")
	}
	if len(x.Cuts) > 0 {
		var cuts []string
		for _, c := range x.Cuts {
			s := fmt.Sprintf("the link %s - %s (%d %s) was cut by %s at %s", c.From, c.To, c.Count, plural(c.Count, "event", "events"), c.Actor, c.At.UTC().Format(time.RFC3339))
			if c.Reason != "" {
				s += fmt.Sprintf(" (%s)", c.Reason)
			}
			cuts = append(cuts, s+", correction "+c.CorrectionID)
		}
		b.WriteString(" Links cut between them: " + strings.Join(cuts, "; ") + ".")
	}
	return b.String()
}

// decisionText names a decision: "the never decision lnk_… by ops
// (reason)", and says when it has since been removed.
func decisionText(d idgraph.DecisionRef) string {
	s := fmt.Sprintf("the %s decision %s by %s", d.Decision, d.ID, d.Actor)
	if d.Reason != "" {
		s += fmt.Sprintf(" (%s)", d.Reason)
	}
	if d.Removed {
		s += ", since removed"
	}
	return s
}

// eventText names an event as evidence: message id, what it was, source, time.
func eventText(e idgraph.EventRef) string {
	what := e.Type
	if e.Event != "" {
		what += " " + fmt.Sprintf("%q", e.Event)
	}
	return fmt.Sprintf("%s (%s from %s at %s)", e.MessageID, what, e.SourceID, e.Timestamp.UTC().Format(time.RFC3339))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
