package api

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// eventsResponse is Segment's list of a profile's events, newest first.
type eventsResponse struct {
	Data   []idgraph.StoredEvent `json:"data"`
	Cursor cursor                `json:"cursor"`
}

type eventsToken struct {
	Timestamp time.Time `json:"ts"`
	MessageID string    `json:"m"`
}

// profileEvents answers GET .../events?start=&end=&limit=&next=&include=
// &exclude=&sort=: the events with start <= timestamp < end, newest first
// (sort=asc: oldest first), only those named in include (track's event,
// page's or screen's name) when it names any, none named in exclude.
func (s *Server) profileEvents(c *gin.Context) {
	id, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	q, err := eventQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	limit := q.Limit
	q.Limit++ // one more tells whether another page follows
	events, err := s.events.Events(c.Request.Context(), tokenSpace(c).ID, id, q)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var next any
	if len(events) > limit {
		events = events[:limit]
		last := events[limit-1]
		next = eventsToken{Timestamp: last.Timestamp, MessageID: last.MessageID}
	}
	if events == nil {
		events = []idgraph.StoredEvent{}
	}
	c.JSON(http.StatusOK, eventsResponse{Data: events, Cursor: newCursor(c, next)})
}

// eventQuery reads the events route's limit, start, end and next; the
// error names the parameter at fault.
func eventQuery(c *gin.Context) (idgraph.EventQuery, error) {
	var q idgraph.EventQuery
	var err error
	if q.Limit, err = intParam(c, "limit", defaultPageLimit, maxPageLimit); err != nil {
		return q, err
	}
	if q.Start, err = timeParam(c, "start"); err != nil {
		return q, err
	}
	if q.End, err = timeParam(c, "end"); err != nil {
		return q, err
	}
	if !q.Start.IsZero() && !q.End.IsZero() && !q.Start.Before(q.End) {
		return q, invalidParam("end", "must be after start")
	}
	var tok eventsToken
	paged, err := nextToken(c, &tok)
	if err != nil {
		return q, err
	}
	if paged && (tok.MessageID == "" || tok.Timestamp.IsZero()) {
		return q, invalidParam("next", "not a cursor this route returned")
	}
	if paged {
		q.After = &idgraph.EventCursor{Timestamp: tok.Timestamp, MessageID: tok.MessageID}
	}
	for name, dst := range map[string]*[]string{"include": &q.Include, "exclude": &q.Exclude} {
		for v := range listQuery(c, name) {
			*dst = append(*dst, v)
		}
		slices.Sort(*dst)
	}
	switch sort := c.Query("sort"); sort {
	case "", "desc":
	case "asc":
		q.Oldest = true
	default:
		return q, invalidParam("sort", fmt.Sprintf("want asc or desc, got %q", sort))
	}
	return q, nil
}
