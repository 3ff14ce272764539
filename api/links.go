package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// linksPath holds a space's never and always decisions.
const linksPath = "/v1/spaces/:space/links"

// linkRoutes registers the link decisions: PUT records one, GET lists them,
// DELETE .../{link_id} removes one. Changing them takes the admin scope.
func (s *Server) linkRoutes(r *gin.Engine) {
	g := r.Group(linksPath, s.requireToken)
	read, admin := s.requireScope(idgraph.ScopeRead), s.requireScope(idgraph.ScopeAdmin)
	g.PUT("", admin, s.requireService(s.links), s.putLink)
	g.GET("", read, s.requireService(s.links), s.listLinks)
	g.DELETE("/:link_id", admin, s.requireService(s.links), s.deleteLink)
}

// linkRequest is the body of PUT .../links.
type linkRequest struct {
	A        string `json:"a"`
	B        string `json:"b"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	// Split applies the minimum cut when a never decision names two
	// identifiers of one profile.
	Split bool `json:"split"`
}

// decision validates the request into a decision by actor, naming every
// field at fault.
func (r linkRequest) decision(actor string) (idgraph.LinkDecision, error) {
	var ps idgraph.Problems
	var a, b idgraph.Identifier
	if r.A == "" {
		ps.Add("a", "missing: want an identifier as type:value")
	} else {
		a = identifierField(&ps, "a", r.A)
	}
	if r.B == "" {
		ps.Add("b", "missing: want an identifier as type:value")
	} else {
		b = identifierField(&ps, "b", r.B)
	}
	d, err := idgraph.NewLinkDecision(a, b, r.Decision, r.Reason, actor, time.Now().UTC().Truncate(time.Millisecond))
	if e := (*idgraph.Error)(nil); errors.As(err, &e) {
		reported := map[string]bool{}
		for _, p := range ps {
			reported[p.Field] = true
		}
		for _, p := range e.Problems {
			if !reported[p.Field] {
				ps = append(ps, p)
			}
		}
	}
	return d, ps.Err()
}

// putLink answers PUT .../links: 201 with the decision recorded, 200 when
// the same decision was already made.
func (s *Server) putLink(c *gin.Context) {
	var req linkRequest
	if err := readJSON(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	d, err := req.decision(tokenActor(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	res, err := s.links.Link(c.Request.Context(), tokenSpace(c), d, req.Split)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if res.Split != nil {
		plan := res.Split.WithEmptyLists()
		res.Split = &plan
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	c.JSON(status, res)
}

// linksResponse lists decisions with Segment's cursor.
type linksResponse struct {
	Data   []idgraph.LinkDecision `json:"data"`
	Cursor cursor                 `json:"cursor"`
}

// listLinks answers GET .../links?identifier=type:value&limit=&next=.
func (s *Server) listLinks(c *gin.Context) {
	var about *idgraph.Identifier
	if v := c.Query("identifier"); v != "" {
		id, err := idgraph.ParseIdentifier(v)
		if err != nil {
			s.writeError(c, invalidParam("identifier", idgraph.ErrorMessage(err)))
			return
		}
		about = &id
	}
	limit, err := intParam(c, "limit", defaultPageLimit, maxPageLimit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var after idgraph.LinkCursor
	paged, err := nextToken(c, &after)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var cur *idgraph.LinkCursor
	if paged {
		cur = &after
	}
	ds, err := s.links.Links(c.Request.Context(), tokenSpace(c).ID, about, cur, limit+1)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var next any
	if len(ds) > limit {
		ds = ds[:limit]
		last := ds[limit-1]
		next = idgraph.LinkCursor{At: last.At, ID: last.ID}
	}
	if ds == nil {
		ds = []idgraph.LinkDecision{}
	}
	c.JSON(http.StatusOK, linksResponse{Data: ds, Cursor: newCursor(c, next)})
}

// deleteLink answers DELETE .../links/{link_id} with the decision removed.
func (s *Server) deleteLink(c *gin.Context) {
	d, err := s.links.Unlink(c.Request.Context(), tokenSpace(c), c.Param("link_id"), tokenActor(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
