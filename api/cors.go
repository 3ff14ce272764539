package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// cors answers browsers (idgraph.CORS): on the Tracking API, origins any
// configured space allows (every origin unless a space lists its own); on
// the Profile API only origins a space lists. A preflight (OPTIONS with
// Access-Control-Request-Method) is answered here, 204, before routing; an
// actual request gets Access-Control-Allow-Origin, which the handler
// withdraws once it knows the space and the space does not allow the
// origin (corsFor). Requests without an Origin are not touched.
func (s *Server) cors(c *gin.Context) {
	origin, path := c.GetHeader("Origin"), c.Request.URL.Path
	if origin == "" || s.spaces == nil {
		c.Next()
		return
	}
	tracking := s.trackingPaths[path]
	var allowed bool
	switch {
	case tracking:
		allowed = s.spaces.AllowsTracking(origin)
	case strings.HasPrefix(path, "/v1/spaces/"):
		allowed = s.spaces.AllowsProfiles(origin)
	}
	if !allowed {
		c.Next()
		return
	}
	h := c.Writer.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "Request-Id, Retry-After")
	if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
		methods := "GET, POST, PUT, DELETE, OPTIONS"
		if tracking {
			methods = "POST, OPTIONS"
		}
		h.Set("Access-Control-Allow-Methods", methods)
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Content-Encoding")
		h.Set("Access-Control-Max-Age", "86400")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}

// corsFor withdraws Access-Control-Allow-Origin when the request's space
// does not allow its origin.
func corsFor(c *gin.Context, allows func(idgraph.CORS, string) bool, space idgraph.Space) {
	if origin := c.GetHeader("Origin"); origin != "" && !allows(space.CORS, origin) {
		c.Writer.Header().Del("Access-Control-Allow-Origin")
	}
}
