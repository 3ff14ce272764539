package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// A space's logs: its merges, the links its rules refused and the
// corrections people made, newest first with Segment's cursor.

// logRoutes registers the logs; reading them takes the read scope.
func (s *Server) logRoutes(r *gin.Engine) {
	g := r.Group("/v1/spaces/:space", s.requireToken, s.requireScope(idgraph.ScopeRead), s.requireService(s.logs))
	g.GET("/merges", s.listMerges)
	g.GET("/rejections", s.listRejections)
	g.GET("/corrections", s.listCorrections)
}

// logResponse is a page of a log with Segment's cursor.
type logResponse[T any] struct {
	Data   []T    `json:"data"`
	Cursor cursor `json:"cursor"`
}

// listMerges answers GET .../merges?since=&until=&limit=&next=.
func (s *Server) listMerges(c *gin.Context) {
	q, err := logQuery(c)
	serveLog(s, c, q, err, s.logs.Merges)
}

// listRejections answers GET .../rejections?rule=&type=&since=&until=&limit=&next=.
func (s *Server) listRejections(c *gin.Context) {
	q, err := logQuery(c)
	serveLog(s, c, idgraph.RejectionQuery{LogQuery: q, Rule: c.Query("rule"), Type: c.Query("type")}, err, s.logs.Rejections)
}

// listCorrections answers GET .../corrections?kind=&actor=&since=&until=&limit=&next=.
func (s *Server) listCorrections(c *gin.Context) {
	q, err := logQuery(c)
	serveLog(s, c, idgraph.CorrectionQuery{LogQuery: q, Kind: c.Query("kind"), Actor: c.Query("actor")}, err, s.logs.Corrections)
}

// logQuery reads what every log reads: limit (1 to idgraph.MaxLogPage),
// since, until and the next token; the error names the parameter at fault.
// The query's own Validate checks how they fit together.
func logQuery(c *gin.Context) (idgraph.LogQuery, error) {
	var q idgraph.LogQuery
	var err error
	if q.Limit, err = intParam(c, "limit", defaultPageLimit, idgraph.MaxLogPage); err != nil {
		return q, err
	}
	if q.Since, err = timeParam(c, "since"); err != nil {
		return q, err
	}
	if q.Until, err = timeParam(c, "until"); err != nil {
		return q, err
	}
	var after idgraph.LogCursor
	paged, err := nextToken(c, &after)
	if paged {
		q.After = &after
	}
	return q, err
}

// serveLog answers a page of a log: the error met reading the query
// (err) or validating it, or else the page list reads for it.
func serveLog[Q interface{ Validate() error }, T any](s *Server, c *gin.Context, q Q, err error,
	list func(context.Context, string, Q) (idgraph.LogPage[T], error)) {
	if err == nil {
		err = q.Validate()
	}
	var page idgraph.LogPage[T]
	if err == nil {
		page, err = list(c.Request.Context(), tokenSpace(c).ID, q)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	var next any
	if page.Next != nil {
		next = *page.Next
	}
	if page.Entries == nil {
		page.Entries = []T{}
	}
	c.JSON(http.StatusOK, logResponse[T]{Data: page.Entries, Cursor: newCursor(c, next)})
}
