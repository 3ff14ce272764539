package api

import (
	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// Keys on a Profile API request's context: the idgraph.Space its access
// token opened, and the idgraph.AccessToken itself (its name and scopes).
const (
	spaceKey = "idgraph.space"
	tokenKey = "idgraph.token"
)

// requireToken authenticates a Profile API request as Segment does: the
// access token is the HTTP Basic username, the password is empty (and
// ignored). A missing or unknown token is 401 authentication_error. A token
// opens only its own space: a request for another space's profile is the
// 404 not_found that an absent profile gets, so a token cannot probe which
// spaces or profiles exist. The space and the token are left on the
// context for the handler (see tokenSpace, tokenActor) and for
// requireScope, which every route puts after it.
func (s *Server) requireToken(c *gin.Context) {
	token, _, ok := c.Request.BasicAuth()
	if !ok || token == "" {
		c.Header("WWW-Authenticate", `Basic realm="idgraph profiles"`)
		s.writeError(c, idgraph.Errorf(idgraph.EUNAUTHORIZED,
			"missing access token: send it as the HTTP Basic username with an empty password"))
		return
	}
	var (
		sp  idgraph.Space
		tok idgraph.AccessToken
	)
	if s.spaces != nil {
		sp, tok, ok = s.spaces.ByToken(token)
	}
	if !ok {
		c.Header("WWW-Authenticate", `Basic realm="idgraph profiles"`)
		s.writeError(c, idgraph.Errorf(idgraph.EUNAUTHORIZED, "invalid access token"))
		return
	}
	corsFor(c, idgraph.CORS.AllowsProfiles, sp)
	if space, err := rawParam(c, "space"); err != nil || space != sp.ID {
		s.writeError(c, notFound(c))
		return
	}
	c.Set(spaceKey, sp)
	c.Set(tokenKey, tok)
	c.Next()
}

// requireScope answers 403 forbidden, naming the scope, when the request's
// access token lacks scope: read routes want idgraph.ScopeRead, corrections
// and deletes idgraph.ScopeAdmin (which implies read). It runs after
// requireToken, whose token it checks, and before requireService, so a
// token that may not use a route learns nothing more about it.
func (s *Server) requireScope(scope idgraph.Scope) gin.HandlerFunc {
	return func(c *gin.Context) {
		if tok := requestToken(c); !tok.Allows(scope) {
			s.writeError(c, idgraph.Errorf(idgraph.EFORBIDDEN,
				"access token %q lacks the %s scope this route needs", tok.Name, scope))
			return
		}
		c.Next()
	}
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

// tokenActor returns the name of the request's access token: the actor an
// audit trail records for what the request changes. A plain token's name
// is derived from its secret (idgraph.DerivedTokenName), never the secret.
func tokenActor(c *gin.Context) string { return requestToken(c).Name }

// requestToken returns the access token requireToken accepted; without
// one, the zero token, which allows nothing.
func requestToken(c *gin.Context) idgraph.AccessToken {
	v, _ := c.Get(tokenKey)
	tok, _ := v.(idgraph.AccessToken)
	return tok
}

// requireAnyToken lets a request through when its HTTP Basic username is
// an access token of any space, whatever its scopes: /metrics counts events
// per space and source, which is not for everyone to read, and shows each
// token its own space's (serveMetrics). Prometheus sends it with
// basic_auth.username in its scrape config.
func (s *Server) requireAnyToken(c *gin.Context) {
	token, _, ok := c.Request.BasicAuth()
	if ok && token != "" && s.spaces != nil {
		if _, _, ok = s.spaces.ByToken(token); ok {
			c.Next()
			return
		}
	}
	c.Header("WWW-Authenticate", `Basic realm="idgraph metrics"`)
	s.writeError(c, idgraph.Errorf(idgraph.EUNAUTHORIZED,
		"missing or invalid access token: send a space's access token as the HTTP Basic username"))
}
