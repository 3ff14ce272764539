package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// splitRequest is the body of POST .../split: exactly one of identifiers,
// cut, apart and event; remember (default true) keeps the parts apart
// afterwards with never decisions.
type splitRequest struct {
	Identifiers []string          `json:"identifiers"`
	Cut         []splitLink       `json:"cut"`
	Apart       []string          `json:"apart"`
	Event       *idgraph.EventKey `json:"event"`
	Remember    *bool             `json:"remember"`
	Reason      string            `json:"reason"`
}

type splitLink struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// split turns the request into the domain's Split, naming every field at
// fault.
func (r splitRequest) split() (idgraph.Split, error) {
	var ps idgraph.Problems
	var s idgraph.Split
	for i, v := range r.Identifiers {
		s.Identifiers = append(s.Identifiers, identifierField(&ps, fmt.Sprintf("identifiers[%d]", i), v))
	}
	for i, l := range r.Cut {
		s.Cut = append(s.Cut, idgraph.LinkRef{
			From: identifierField(&ps, fmt.Sprintf("cut[%d].from", i), l.From),
			To:   identifierField(&ps, fmt.Sprintf("cut[%d].to", i), l.To),
		})
	}
	for i, v := range r.Apart {
		s.Apart = append(s.Apart, identifierField(&ps, fmt.Sprintf("apart[%d]", i), v))
	}
	s.Event, s.Reason = r.Event, r.Reason
	s.Forget = r.Remember != nil && !*r.Remember
	if err := ps.Err(); err != nil {
		return s, err
	}
	return s, s.Validate()
}

// splitResponse is what a split did, or with preview=true would do.
type splitResponse struct {
	Preview bool `json:"preview"`
	idgraph.SplitPlan
}

// splitProfile answers POST .../split[?preview=true].
func (s *Server) splitProfile(c *gin.Context) {
	id, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	preview, err := boolQuery(c, "preview")
	if err != nil {
		s.writeError(c, err)
		return
	}
	var req splitRequest
	if err := readJSON(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	split, err := req.split()
	if err != nil {
		s.writeError(c, err)
		return
	}
	plan, err := s.corrections.Split(c.Request.Context(), tokenSpace(c), id, split, tokenActor(c), preview)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, splitResponse{Preview: preview, SplitPlan: plan.WithEmptyLists()})
}

// boolQuery reads an optional true/false query parameter.
func boolQuery(c *gin.Context, name string) (bool, error) {
	v := c.Query(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, invalidParam(name, fmt.Sprintf("want true or false, got %q", v))
	}
	return b, nil
}
