package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// graphResponse is a profile's identifiers (nodes, id "type:value") and the
// OBSERVED_WITH edges among them (links, source and target naming nodes),
// the shape force-directed drawing libraries take; truncated says the
// profile holds more identifiers than limit.
type graphResponse = idgraph.ProfileGraph

// profileGraph answers GET .../graph?limit= (1 to idgraph.MaxGraphNodes,
// idgraph.DefaultGraphNodes by default).
func (s *Server) profileGraph(c *gin.Context) {
	id, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	limit, err := intParam(c, "limit", idgraph.DefaultGraphNodes, idgraph.MaxGraphNodes)
	if err != nil {
		s.writeError(c, err)
		return
	}
	g, err := s.profiles.Graph(c.Request.Context(), tokenSpace(c).ID, id, limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if g.Nodes == nil {
		g.Nodes = []idgraph.GraphNode{}
	}
	if g.Links == nil {
		g.Links = []idgraph.GraphLink{}
	}
	c.JSON(http.StatusOK, graphResponse(g))
}
