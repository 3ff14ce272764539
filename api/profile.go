package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// The Profile API's page sizes: Segment's limit parameter (1 to 100, 10 by
// default; 100 by default for history, our addition). The graph's node
// limit is the domain's (idgraph.DefaultGraphNodes, MaxGraphNodes).
const (
	defaultPageLimit    = 10
	defaultHistoryLimit = 100
	maxPageLimit        = 100
)

// profilePath is the Profile API's profile path; :id is "type:value".
const profilePath = "/v1/spaces/:space/collections/users/profiles/:id"

// profileRoutes registers the Profile API (Segment's traits, external_ids,
// events, metadata and links; our explain, history, graph and DELETE)
// behind the access-token check: reads want the read scope, DELETE the
// admin scope.
func (s *Server) profileRoutes(r *gin.Engine) {
	p := r.Group(profilePath, s.requireToken, s.locateProfile)
	read, admin := s.requireScope(idgraph.ScopeRead), s.requireScope(idgraph.ScopeAdmin)
	p.GET("/traits", read, s.requireService(s.profiles), s.profileTraits)
	p.GET("/external_ids", read, s.requireService(s.profiles), s.profileExternalIDs)
	p.GET("/events", read, s.requireService(s.events), s.profileEvents)
	p.GET("/metadata", read, s.requireService(s.profiles), s.profileMetadata)
	p.GET("/explain", read, s.requireService(s.explanations), s.profileExplain)
	p.GET("/history", read, s.requireService(s.history), s.profileHistory)
	p.GET("/graph", read, s.requireService(s.profiles), s.profileGraph)
	p.GET("/links", read, s.requireService(s.accounts), s.profileLinks)
	p.DELETE("", admin, s.requireService(s.deletion), s.deleteProfile)
	p.POST("/split", admin, s.requireService(s.corrections), s.splitProfile)
	p.DELETE("/external_ids/:external_id", admin, s.requireService(s.corrections), s.removeIdentifier)
}

// rawParam returns the path parameter name of the matched route, read from
// the escaped path and unescaped once: "%2B" and a bare "+" are both "+",
// "%3A" is ":", "%2F" is "/".
func rawParam(c *gin.Context, name string) (string, error) {
	route := strings.Split(c.FullPath(), "/")
	path := strings.Split(c.Request.URL.EscapedPath(), "/")
	for i, seg := range route {
		if seg != ":"+name || i >= len(path) {
			continue
		}
		v, err := url.PathUnescape(path[i])
		if err != nil {
			return "", idgraph.Errorf(idgraph.EINVALID, "path: bad escape in %q", path[i])
		}
		return v, nil
	}
	return "", idgraph.Errorf(idgraph.EINTERNAL, "route %s has no parameter %s", c.FullPath(), name)
}

// memberKey holds, on a request's context, the identifier a profile_id
// path was resolved to (locateProfile).
const memberKey = "idgraph.member"

// locateProfile resolves a path that names a profile by its own id
// (profile_id:prf_...): a live profile is looked up by one of its members;
// one merged away answers 308 Permanent Redirect to the same route under
// the live profile's id, with merged_into in the body, so systems that kept
// an old id keep working. Other paths pass through.
func (s *Server) locateProfile(c *gin.Context) {
	raw, err := rawParam(c, "id")
	typ, pid, ok := strings.Cut(raw, ":")
	if err != nil || !ok || strings.TrimSpace(typ) != idgraph.TypeProfileID {
		c.Next()
		return
	}
	if s.profiles == nil {
		s.writeError(c, idgraph.Errorf(idgraph.EUNAVAILABLE, "no profile store configured"))
		return
	}
	loc, err := s.profiles.Locate(c.Request.Context(), tokenSpace(c).ID, strings.TrimSpace(pid))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if loc.Merged {
		c.Header("Location", movedPath(c, idgraph.TypeProfileID+":"+loc.ProfileID))
		c.AbortWithStatusJSON(http.StatusPermanentRedirect, mergedAway{ProfileID: strings.TrimSpace(pid), MergedInto: loc.ProfileID})
		return
	}
	c.Set(memberKey, loc.Member)
	c.Next()
}

// mergedAway is the body of the 308 for a profile id merged into another.
type mergedAway struct {
	ProfileID  string `json:"profile_id"`
	MergedInto string `json:"merged_into"`
}

// movedPath is the request's path and query with the :id segment replaced
// by id.
func movedPath(c *gin.Context, id string) string {
	route := strings.Split(c.FullPath(), "/")
	path := strings.Split(c.Request.URL.EscapedPath(), "/")
	for i, seg := range route {
		if seg == ":id" && i < len(path) {
			path[i] = url.PathEscape(id)
		}
	}
	u := strings.Join(path, "/")
	if q := c.Request.URL.RawQuery; q != "" {
		u += "?" + q
	}
	return u
}

// profileIdentifier returns the identifier the profile path names (for a
// profile_id path, the member locateProfile found).
func profileIdentifier(c *gin.Context) (idgraph.Identifier, error) {
	if v, ok := c.Get(memberKey); ok {
		return v.(idgraph.Identifier), nil
	}
	s, err := rawParam(c, "id")
	if err != nil {
		return idgraph.Identifier{}, err
	}
	return idgraph.ParseIdentifier(s)
}

// notFound is the answer for a profile the caller may not see: the same as
// for a profile that does not exist.
func notFound(c *gin.Context) error {
	s, _ := rawParam(c, "id")
	return idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", s)
}
