package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// The change feed's bounds: limit (1 to 1,000, 100 by default) and wait
// (up to 60 s, none by default). Within wait, the feed is read again every
// ChangePoll for other replicas' changes; this process's own answer at once.
const (
	changesPath         = "/v1/spaces/:space/changes"
	defaultChangesLimit = 100
	maxChangesLimit     = 1000
	maxChangesWait      = 60 * time.Second
	defaultChangePoll   = time.Second
)

// statusClientGone is the access log's status for a long poll whose client
// left before it was answered (nginx's 499): nothing is sent.
const statusClientGone = 499

// changeRoutes registers the change feed behind the read scope.
func (s *Server) changeRoutes(r *gin.Engine) {
	r.GET(changesPath, s.requireToken, s.requireScope(idgraph.ScopeRead), s.requireService(s.changes), s.listChanges)
}

// changesResponse is a page of the feed. Cursor.Next is always set: the
// cursor to send back as after (the last change's, or the after sent when
// there was none); HasMore says whether more changes are waiting.
type changesResponse struct {
	Data   []idgraph.Change `json:"data"`
	Cursor cursor           `json:"cursor"`
}

// listChanges answers GET .../changes?after=&limit=&wait=: the changes
// after the cursor, at once when there are some, else as soon as one
// commits within wait, else none. A client that leaves stops the wait;
// so does the server's shutdown (Drain), which answers what it has.
func (s *Server) listChanges(c *gin.Context) {
	after, limit, wait, err := changesParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx, cancel := context.WithCancel(c.Request.Context())
	defer cancel()
	defer context.AfterFunc(s.draining, cancel)()
	// One more than limit says whether more are waiting.
	changes, err := idgraph.WaitChanges(ctx, s.changes, tokenSpace(c).ID, after, limit+1, wait, s.changePoll)
	switch {
	case c.Request.Context().Err() != nil:
		c.AbortWithStatus(statusClientGone)
		return
	case s.draining.Err() != nil && err != nil:
		changes = nil
	case err != nil:
		s.writeError(c, err)
		return
	}
	more := len(changes) > limit
	if more {
		changes = changes[:limit]
	}
	next := after
	if len(changes) > 0 {
		next = changes[len(changes)-1].Seq
	}
	if changes == nil {
		changes = []idgraph.Change{}
	}
	c.JSON(http.StatusOK, changesResponse{
		Data:   changes,
		Cursor: cursor{URL: c.Request.URL.RequestURI(), HasMore: more, Next: idgraph.ChangeCursor(next)},
	})
}

// changesParams reads after (a change cursor; the feed's start when
// absent), limit and wait (a duration such as 30s, or seconds), naming the
// parameter at fault.
func changesParams(c *gin.Context) (after int64, limit int, wait time.Duration, err error) {
	if v := c.Query("after"); v != "" {
		if after, err = idgraph.ParseChangeCursor(v); err != nil {
			return 0, 0, 0, invalidParam("after", "not a cursor this feed returned")
		}
	}
	if limit, err = intParam(c, "limit", defaultChangesLimit, maxChangesLimit); err != nil {
		return 0, 0, 0, err
	}
	if v := c.Query("wait"); v != "" {
		wait, err = time.ParseDuration(v)
		if n, nerr := strconv.Atoi(v); nerr == nil {
			wait, err = time.Duration(n)*time.Second, nil
		}
		if err != nil || wait < 0 || wait > maxChangesWait {
			return 0, 0, 0, invalidParam("wait", fmt.Sprintf("want a duration from 0s to %s (such as 30s), got %q", maxChangesWait, v))
		}
	}
	return after, limit, wait, nil
}

// Drain ends the change feed's long polls, each answering what it has, and
// makes later ones answer at once: call it before shutting the HTTP server
// down, so that it need not wait for them.
func (s *Server) Drain() { s.drain() }
