package api

import (
	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// spaceKey holds, on a Profile API request's context, the idgraph.Space its
// access token opened.
const spaceKey = "idgraph.space"

// requireToken authenticates a Profile API request as Segment does: the
// access token is the HTTP Basic username, the password is empty (and
// ignored). A missing or unknown token is 401 authentication_error. A token
// opens only its own space: a request for another space's profile is the
// 404 not_found that an absent profile gets, so a token cannot probe which
// spaces or profiles exist. The space is left on the context for the
// handler (see tokenSpace).
func (s *Server) requireToken(c *gin.Context) {
	token, _, ok := c.Request.BasicAuth()
	if !ok || token == "" {
		c.Header("WWW-Authenticate", `Basic realm="idgraph profiles"`)
		s.writeError(c, idgraph.Errorf(idgraph.EUNAUTHORIZED,
			"missing access token: send it as the HTTP Basic username with an empty password"))
		return
	}
	var sp idgraph.Space
	if s.spaces != nil {
		sp, ok = s.spaces.ByToken(token)
	}
	if !ok {
		c.Header("WWW-Authenticate", `Basic realm="idgraph profiles"`)
		s.writeError(c, idgraph.Errorf(idgraph.EUNAUTHORIZED, "invalid access token"))
		return
	}
	if space, err := rawParam(c, "space"); err != nil || space != sp.ID {
		s.writeError(c, notFound(c))
		return
	}
	c.Set(spaceKey, sp)
	c.Next()
}

// requireService answers 503 when the route's service (a field of Config)
// was not configured. It runs after requireToken, so a caller without a
// token learns nothing about the server.
func (s *Server) requireService(service any) gin.HandlerFunc {
	return func(c *gin.Context) {
		if service == nil {
			s.writeError(c, idgraph.Errorf(idgraph.EUNAVAILABLE, "no profile store configured"))
			return
		}
		c.Next()
	}
}

// tokenSpace returns the space requireToken opened for the request.
func tokenSpace(c *gin.Context) idgraph.Space {
	v, _ := c.Get(spaceKey)
	sp, _ := v.(idgraph.Space)
	return sp
}

// requireAnyToken lets a request through when its HTTP Basic username is
// the access token of any space: /metrics counts events per space and
// source, which is not for everyone to read. Prometheus sends it with
// basic_auth.username in its scrape config.
func (s *Server) requireAnyToken(c *gin.Context) {
	token, _, ok := c.Request.BasicAuth()
	if ok && token != "" && s.spaces != nil {
		if _, ok = s.spaces.ByToken(token); ok {
			c.Next()
			return
		}
	}
	c.Header("WWW-Authenticate", `Basic realm="idgraph metrics"`)
	s.writeError(c, idgraph.Errorf(idgraph.EUNAUTHORIZED,
		"missing or invalid access token: send a space's access token as the HTTP Basic username"))
}

// tokenActor names who made a request, for the audit trail of corrections.
// TODO(scopes): the access token's name once tokens are named.
func tokenActor(c *gin.Context) string { return "access token of " + tokenSpace(c).ID }
