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
// shortest chain of evidence) or why they do not (rejections: the rules that
// kept their profiles apart; none means never seen together), with a
// summary a person can read.
type explainResponse struct {
	From        idgraph.Identifier     `json:"from"`
	To          idgraph.Identifier     `json:"to"`
	Together    bool                   `json:"together"`
	FromProfile string                 `json:"from_profile"`
	ToProfile   string                 `json:"to_profile"`
	Path        []idgraph.Hop          `json:"path"`
	Rejections  []idgraph.RejectionRef `json:"rejections"`
	Summary     string                 `json:"summary"`
}

// profileExplain answers GET .../explain?to=type:value.
func (s *Server) profileExplain(c *gin.Context) {
	from, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	raw, ok := c.GetQuery("to")
	if !ok {
		s.writeError(c, invalidParam("to", "missing: want the other identifier as type:value"))
		return
	}
	to, err := idgraph.ParseIdentifier(raw)
	if err != nil {
		s.writeError(c, invalidParam("to", idgraph.ErrorMessage(err)))
		return
	}
	x, err := s.explanations.Explain(c.Request.Context(), tokenSpace(c).ID, from, to)
	if err != nil {
		s.writeError(c, err)
		return
	}
	res := explainResponse{
		From: x.From, To: x.To, Together: x.Together, FromProfile: x.FromProfile, ToProfile: x.ToProfile,
		Path: x.Path, Rejections: x.Rejections, Summary: explainSummary(x),
	}
	if res.Path == nil {
		res.Path = []idgraph.Hop{}
	}
	if res.Rejections == nil {
		res.Rejections = []idgraph.RejectionRef{}
	}
	c.JSON(http.StatusOK, res)
}

// explainSummary puts an explanation in a sentence or two.
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
			fmt.Fprintf(&b, " %s and %s were seen together in %d %s, first in %s",
				h.From, h.To, h.Count, plural(h.Count, "event", "events"), eventText(h.FirstEvent))
			if h.Count > 1 {
				fmt.Fprintf(&b, ", last in %s", eventText(h.LastEvent))
			}
		}
		b.WriteString(".")
	case len(x.Rejections) == 0:
		fmt.Fprintf(&b, "%s (profile %s) and %s (profile %s) were never seen together.", x.From, x.FromProfile, x.To, x.ToProfile)
	default:
		fmt.Fprintf(&b, "%s (profile %s) and %s (profile %s) are kept apart:", x.From, x.FromProfile, x.To, x.ToProfile)
		for i, r := range x.Rejections {
			if i > 0 {
				b.WriteString(";")
			}
			fmt.Fprintf(&b, " rule %s refused to join %s with %s in %s (%s)", r.Rule, r.From, r.To, eventText(r.Event), r.Detail)
		}
		b.WriteString(".")
	}
	return b.String()
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
