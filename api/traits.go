package api

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

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
	id, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.answerTraits(c, func(ctx context.Context) (idgraph.Traits, error) {
		p, err := s.profiles.Profile(ctx, tokenSpace(c).ID, id)
		return p.Traits, err
	})
}

// answerTraits answers a traits route, a user's or an account's, with the
// traits load returns: Segment's limit, next, include (keys), class (only
// traits) and verbose.
func (s *Server) answerTraits(c *gin.Context, load func(context.Context) (idgraph.Traits, error)) {
	var tok traitsToken
	limit, err := intParam(c, "limit", defaultPageLimit, maxPageLimit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	paged, err := nextToken(c, &tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	verbose, err := boolQuery(c, "verbose")
	if err != nil {
		s.writeError(c, err)
		return
	}
	if class := c.Query("class"); class != "" && class != "traits" {
		s.writeError(c, invalidParam("class", fmt.Sprintf("%q: only traits exists", class)))
		return
	}
	traits, err := load(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	var after func(string) bool
	if paged {
		after = func(k string) bool { return k > tok.Key }
	}
	keys, more := pageOf(traitKeys(traits, listQuery(c, "include")), after, limit)
	var next any
	if more {
		next = traitsToken{Key: keys[len(keys)-1]}
	}
	c.JSON(http.StatusOK, traitsResponse{Traits: traitValues(traits, keys, verbose), Cursor: newCursor(c, next)})
}

// traitKeys returns the keys of traits, in lexical order: those named in
// include (a comma-separated list), or all when it names none.
func traitKeys(traits idgraph.Traits, want map[string]bool) []string {
	keys := make([]string, 0, len(traits))
	for k := range traits {
		if len(want) == 0 || want[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// traitValues returns the traits of keys by key: their values, or with
// verbose, where and when each value came from.
func traitValues(traits idgraph.Traits, keys []string, verbose bool) map[string]any {
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		t := traits[k]
		if verbose {
			out[k] = verboseTrait{Value: t.Value, SourceID: t.SourceID, MessageID: t.MessageID, UpdatedAt: t.UpdatedAt}
		} else {
			out[k] = t.Value
		}
	}
	return out
}
