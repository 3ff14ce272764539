package api

import (
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

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
	// LastSeen is when the identifier was last seen; with verbose=true.
	LastSeen *time.Time `json:"last_seen,omitempty"`
}

type externalIDsToken struct {
	Type  string `json:"t"`
	Value string `json:"v"`
}

// profileExternalIDs answers GET .../external_ids?limit=&next=&include=t1,t2
// &verbose=true, in (type, value) order: include keeps the identifiers of
// the types it names (Segment's), verbose adds when each was last seen.
func (s *Server) profileExternalIDs(c *gin.Context) {
	var tok externalIDsToken
	id, limit, paged, err := pageParams(c, defaultPageLimit, &tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	verbose, err := boolQuery(c, "verbose")
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
	types := listQuery(c, "include")
	ids := slices.DeleteFunc(slices.Clone(p.Identifiers), func(s idgraph.Sighting) bool {
		return len(types) > 0 && !types[s.Type]
	})
	sort.Slice(ids, func(i, j int) bool { return ids[i].Less(ids[j].Identifier) })
	var after func(idgraph.Sighting) bool
	if paged {
		last := idgraph.Identifier{Type: tok.Type, Value: tok.Value}
		after = func(s idgraph.Sighting) bool { return last.Less(s.Identifier) }
	}
	ids, more := pageOf(ids, after, limit)

	names := sourceNames(space)
	data := make([]externalID, len(ids))
	for i, x := range ids {
		data[i] = userExternalID(x, names)
		if verbose {
			data[i].LastSeen = &x.LastSeen
		}
	}
	var next any
	if more {
		last := ids[len(ids)-1]
		next = externalIDsToken{Type: last.Type, Value: last.Value}
	}
	c.JSON(http.StatusOK, externalIDsResponse{Data: data, Cursor: newCursor(c, next)})
}

// sourceNames maps the space's source ids to their names.
func sourceNames(space idgraph.Space) map[string]string {
	names := make(map[string]string, len(space.Sources))
	for _, src := range space.Sources {
		names[src.ID] = src.Name
	}
	return names
}

// userExternalID shows a user profile's identifier as Segment does; names
// are the space's source names.
func userExternalID(x idgraph.Sighting, names map[string]string) externalID {
	return externalID{
		ID: x.Value, Type: x.Type, SourceID: x.FirstSourceID, SourceName: names[x.FirstSourceID],
		Collection: idgraph.CollectionUsers, CreatedAt: x.FirstSeen, Encoding: "none", FirstMessageID: x.FirstMessageID,
	}
}
