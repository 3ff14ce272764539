package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// cursor is Segment's pagination object. URL is the request's own path and
// query; Next, when HasMore, is the token to send back as ?next= for the
// following page (with the same other parameters).
type cursor struct {
	URL     string `json:"url"`
	HasMore bool   `json:"has_more"`
	Next    string `json:"next"`
}

func newCursor(c *gin.Context, next any) cursor {
	cur := cursor{URL: c.Request.URL.RequestURI()}
	if next != nil {
		b, _ := json.Marshal(next)
		cur.HasMore, cur.Next = true, base64.RawURLEncoding.EncodeToString(b)
	}
	return cur
}

// nextToken decodes the ?next= token into v; ok is false on the first page.
func nextToken(c *gin.Context, v any) (ok bool, err error) {
	s := c.Query("next")
	if s == "" {
		return false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return false, invalidParam("next", "not a cursor this route returned")
	}
	return true, nil
}

// intParam reads an integer query parameter from 1 to max, def when absent.
func intParam(c *gin.Context, name string, def, max int) (int, error) {
	s, ok := c.GetQuery(name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, invalidParam(name, fmt.Sprintf("want an integer from 1 to %d, got %q", max, s))
	}
	return n, nil
}

// timeParam reads an RFC 3339 time query parameter, zero when absent.
func timeParam(c *gin.Context, name string) (time.Time, error) {
	s := c.Query(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, invalidParam(name, fmt.Sprintf("want an RFC 3339 time such as 2019-11-15T09:00:00Z, got %q", s))
	}
	return t, nil
}

// invalidParam is a validation_error naming the query parameter at fault.
func invalidParam(name, message string) error {
	return idgraph.Problems{{Field: name, Message: message}}.Err()
}

// pageOf returns at most limit items of sorted from the first one for which
// after is true (from the start when after is nil), and whether more follow.
func pageOf[T any](sorted []T, after func(T) bool, limit int) ([]T, bool) {
	if after != nil {
		sorted = sorted[sort.Search(len(sorted), func(i int) bool { return after(sorted[i]) }):]
	}
	if len(sorted) > limit {
		return sorted[:limit], true
	}
	return sorted, false
}

// pageParams reads what every list route of a profile reads first: the
// identifier in the path, limit (1 to 100, def when absent) and the next
// token, decoded into tok; paged reports whether there was one. The error
// names the parameter at fault.
func pageParams(c *gin.Context, def int, tok any) (id idgraph.Identifier, limit int, paged bool, err error) {
	if id, err = profileIdentifier(c); err != nil {
		return id, 0, false, err
	}
	if limit, err = intParam(c, "limit", def, maxPageLimit); err != nil {
		return id, 0, false, err
	}
	paged, err = nextToken(c, tok)
	return id, limit, paged, err
}

// listQuery reads a comma-separated query parameter as a set; empty when
// absent.
func listQuery(c *gin.Context, name string) map[string]bool {
	set := map[string]bool{}
	for _, v := range strings.Split(c.Query(name), ",") {
		if v = strings.TrimSpace(v); v != "" {
			set[v] = true
		}
	}
	return set
}
