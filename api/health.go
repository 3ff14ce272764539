package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

type statusResponse struct {
	Status string `json:"status"`
}

// healthz answers 200 while the process is up; it checks nothing else.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, statusResponse{Status: "ok"})
}

// readyz answers 200 only when the Checker reports ready (Neo4j reachable,
// schema applied); else 503 with the reason.
func (s *Server) readyz(c *gin.Context) {
	if s.checker == nil {
		s.writeError(c, idgraph.Errorf(idgraph.EUNAVAILABLE, "no readiness check configured"))
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.readyTimeout)
	defer cancel()
	if err := s.checker.Ready(ctx); err != nil {
		if idgraph.ErrorCode(err) != idgraph.EUNAVAILABLE {
			err = idgraph.WrapError(idgraph.EUNAVAILABLE, err, "not ready: %s", idgraph.ErrorMessage(err))
		}
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, statusResponse{Status: "ready"})
}
