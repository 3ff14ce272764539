package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

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
// events and metadata; our explain, history, graph and DELETE) behind the
// access-token check.
func (s *Server) profileRoutes(r *gin.Engine) {
	p := r.Group(profilePath, s.requireToken)
	p.GET("/traits", s.requireService(s.profiles), s.profileTraits)
	p.GET("/external_ids", s.requireService(s.profiles), s.profileExternalIDs)
	p.GET("/events", s.requireService(s.events), s.profileEvents)
	p.GET("/metadata", s.requireService(s.profiles), s.profileMetadata)
	p.GET("/explain", s.requireService(s.explanations), s.profileExplain)
	p.GET("/history", s.requireService(s.history), s.profileHistory)
	p.GET("/graph", s.requireService(s.profiles), s.profileGraph)
	p.DELETE("", s.requireService(s.deletion), s.deleteProfile)
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

// profileIdentifier returns the identifier the profile path names.
func profileIdentifier(c *gin.Context) (idgraph.Identifier, error) {
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

// traitsResponse is Segment's: traits by key (values, or with verbose=true
// trait objects) and a cursor. Keys come in lexical order.
type traitsResponse struct {
	Traits map[string]any `json:"traits"`
	Cursor cursor         `json:"cursor"`
}

// verboseTrait is a trait with where and when its value came from.
type verboseTrait struct {
	Value     any       `json:"value"`
	SourceID  string    `json:"source_id"`
	MessageID string    `json:"message_id"`
	UpdatedAt time.Time `json:"updated_at"`
}

type traitsToken struct {
	Key string `json:"k"`
}

// profileTraits answers GET .../traits?limit=&next=&include=a,b&verbose=true.
func (s *Server) profileTraits(c *gin.Context) {
	var tok traitsToken
	id, limit, paged, err := pageParams(c, defaultPageLimit, &tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var verbose bool
	if v := c.Query("verbose"); v != "" {
		if verbose, err = strconv.ParseBool(v); err != nil {
			s.writeError(c, invalidParam("verbose", fmt.Sprintf("want true or false, got %q", v)))
			return
		}
	}
	p, err := s.profiles.Profile(c.Request.Context(), tokenSpace(c).ID, id)
	if err != nil {
		s.writeError(c, err)
		return
	}

	include := map[string]bool{}
	for _, k := range strings.Split(c.Query("include"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			include[k] = true
		}
	}
	keys := make([]string, 0, len(p.Traits))
	for k := range p.Traits {
		if len(include) == 0 || include[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var after func(string) bool
	if paged {
		after = func(k string) bool { return k > tok.Key }
	}
	keys, more := pageOf(keys, after, limit)

	traits := make(map[string]any, len(keys))
	for _, k := range keys {
		t := p.Traits[k]
		if verbose {
			traits[k] = verboseTrait{Value: t.Value, SourceID: t.SourceID, MessageID: t.MessageID, UpdatedAt: t.UpdatedAt}
		} else {
			traits[k] = t.Value
		}
	}
	var next any
	if more {
		next = traitsToken{Key: keys[len(keys)-1]}
	}
	c.JSON(http.StatusOK, traitsResponse{Traits: traits, Cursor: newCursor(c, next)})
}

// externalIDsResponse is Segment's list of a profile's identifiers.
type externalIDsResponse struct {
	Data   []externalID `json:"data"`
	Cursor cursor       `json:"cursor"`
}

// externalID is one identifier of a profile as Segment shows it: created_at
// is when it was first seen, source_id and first_message_id where.
type externalID struct {
	ID             string    `json:"id"`
	Type           string    `json:"type"`
	SourceID       string    `json:"source_id"`
	SourceName     string    `json:"source_name"`
	Collection     string    `json:"collection"`
	CreatedAt      time.Time `json:"created_at"`
	Encoding       string    `json:"encoding"`
	FirstMessageID string    `json:"first_message_id"`
}

type externalIDsToken struct {
	Type  string `json:"t"`
	Value string `json:"v"`
}

// profileExternalIDs answers GET .../external_ids?limit=&next=, in (type,
// value) order.
func (s *Server) profileExternalIDs(c *gin.Context) {
	var tok externalIDsToken
	id, limit, paged, err := pageParams(c, defaultPageLimit, &tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	space := tokenSpace(c)
	p, err := s.profiles.Profile(c.Request.Context(), space.ID, id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ids := slices.Clone(p.Identifiers)
	sort.Slice(ids, func(i, j int) bool { return ids[i].Less(ids[j].Identifier) })
	var after func(idgraph.Sighting) bool
	if paged {
		last := idgraph.Identifier{Type: tok.Type, Value: tok.Value}
		after = func(s idgraph.Sighting) bool { return last.Less(s.Identifier) }
	}
	ids, more := pageOf(ids, after, limit)

	names := make(map[string]string, len(space.Sources))
	for _, src := range space.Sources {
		names[src.ID] = src.Name
	}
	data := make([]externalID, len(ids))
	for i, x := range ids {
		data[i] = externalID{
			ID: x.Value, Type: x.Type, SourceID: x.FirstSourceID, SourceName: names[x.FirstSourceID],
			Collection: "users", CreatedAt: x.FirstSeen, Encoding: "none", FirstMessageID: x.FirstMessageID,
		}
	}
	var next any
	if more {
		last := ids[len(ids)-1]
		next = externalIDsToken{Type: last.Type, Value: last.Value}
	}
	c.JSON(http.StatusOK, externalIDsResponse{Data: data, Cursor: newCursor(c, next)})
}

// metadataResponse is Segment's {"metadata": {...}}: its fields, then ours.
type metadataResponse struct {
	Metadata metadataBody `json:"metadata"`
}

type metadataBody struct {
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	FirstMessageID string            `json:"first_message_id"`
	FirstSourceID  string            `json:"first_source_id"`
	LastMessageID  string            `json:"last_message_id"`
	LastSourceID   string            `json:"last_source_id"`
	ProfileID      string            `json:"profile_id"`
	MergeCount     int               `json:"merge_count"`
	Identifiers    int               `json:"identifier_count"`
	FirstEvent     *idgraph.EventRef `json:"first_event"`
	LastEvent      *idgraph.EventRef `json:"last_event"`
}

// profileMetadata answers GET .../metadata.
func (s *Server) profileMetadata(c *gin.Context) {
	id, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	m, err := s.profiles.Metadata(c.Request.Context(), tokenSpace(c).ID, id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	body := metadataBody{
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, ProfileID: m.ProfileID,
		MergeCount: m.MergeCount, Identifiers: m.Identifiers, FirstEvent: m.FirstEvent, LastEvent: m.LastEvent,
	}
	if m.FirstEvent != nil {
		body.FirstMessageID, body.FirstSourceID = m.FirstEvent.MessageID, m.FirstEvent.SourceID
	}
	if m.LastEvent != nil {
		body.LastMessageID, body.LastSourceID = m.LastEvent.MessageID, m.LastEvent.SourceID
	}
	c.JSON(http.StatusOK, metadataResponse{Metadata: body})
}

// deleteResponse says what a DELETE removed: the profile, its identifiers
// (now suppressed: later events carrying them are ignored) and how many
// events.
type deleteResponse = idgraph.Deletion

// deleteProfile answers DELETE on the profile path with the engine's delete
// and suppression.
func (s *Server) deleteProfile(c *gin.Context) {
	id, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	d, err := s.deletion.Delete(c.Request.Context(), tokenSpace(c).ID, id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if d.Identifiers == nil {
		d.Identifiers = []idgraph.Identifier{}
	}
	c.JSON(http.StatusOK, deleteResponse(d))
}
