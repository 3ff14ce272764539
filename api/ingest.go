package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// Limits of the Segment HTTP Tracking API; the domain holds them, and
// idgraph.ParseBatch applies those of a batch's events.
const (
	MaxEventBytes  = idgraph.MaxEventBytes
	MaxBatchBytes  = idgraph.MaxBatchBytes
	MaxBatchEvents = idgraph.MaxBatchEvents
)

// ingestRoutes registers the Segment HTTP Tracking API. The typed routes
// fix the event's type; /v1/import is /v1/batch under another name.
// analytics.js sends to the short paths (/v1/t, /v1/i, ...); /v1/m takes
// its own metrics, which are accepted and dropped.
func (s *Server) ingestRoutes(r gin.IRoutes) {
	for _, t := range []struct{ long, short, typ string }{
		{"identify", "i", idgraph.EventIdentify}, {"track", "t", idgraph.EventTrack},
		{"page", "p", idgraph.EventPage}, {"screen", "s", idgraph.EventScreen},
		{"group", "g", idgraph.EventGroup}, {"alias", "a", idgraph.EventAlias},
	} {
		s.tracking(r, "/v1/"+t.long, s.ingestEvent(t.typ))
		s.tracking(r, "/v1/"+t.short, s.ingestEvent(t.typ))
	}
	s.tracking(r, "/v1/batch", s.ingestBatch)
	s.tracking(r, "/v1/b", s.ingestBatch)
	s.tracking(r, "/v1/import", s.ingestBatch)
	s.tracking(r, "/v1/m", s.dropMetrics)
}

// tracking registers a Tracking API route (POST) and marks its path for
// CORS.
func (s *Server) tracking(r gin.IRoutes, path string, h gin.HandlerFunc) {
	s.trackingPaths[path] = true
	r.POST(path, h)
}

// dropMetrics answers POST /v1/m, analytics.js's own metrics: accepted,
// read no further and dropped.
func (s *Server) dropMetrics(c *gin.Context) {
	c.JSON(http.StatusOK, ingestResponse{Success: true})
}

// ingestResponse is the body of a 200: {"success": true}, and the events
// of a batch refused as invalid, if any.
type ingestResponse struct {
	Success bool           `json:"success"`
	Invalid []invalidEvent `json:"invalid,omitempty"`
	// Rejected is Invalid under its former name, kept for one release so
	// that clients reading it go on working.
	//
	// Deprecated: read Invalid. "Rejected" names links the identity rules
	// refused (REJECTED), not events refused at the door.
	Rejected []invalidEvent `json:"rejected,omitempty"`
}

// invalidEvent is an invalid event of a batch, by its index in the batch,
// with every problem found in it.
type invalidEvent struct {
	Index  int              `json:"index"`
	Errors idgraph.Problems `json:"errors"`
}

// ingestEvent answers POST /v1/{type}: one event, written once committed.
func (s *Server) ingestEvent(typ string) gin.HandlerFunc {
	return func(c *gin.Context) {
		received := time.Now().UTC()
		space, source, body, err := s.readIngest(c, MaxEventBytes, func() error {
			return idgraph.Errorf(idgraph.EINVALID, "event body over %d bytes: at most 32 KB per event", MaxEventBytes)
		})
		if err != nil {
			s.writeError(c, err)
			return
		}
		e, err := space.Rules.ParseEvent(typ, body, received)
		if err != nil {
			s.metrics.observeInvalid(space.ID, source.ID, 1)
			s.writeError(c, malformed(err))
			return
		}
		if err := s.commit(c.Request.Context(), space, source, []idgraph.Event{e}); err != nil {
			s.writeError(c, err)
			return
		}
		c.JSON(http.StatusOK, ingestResponse{Success: true})
	}
}

// ingestBatch answers POST /v1/batch and /v1/import. Invalid events are
// left out and listed by index; the others are written together, and the
// answer waits for their commit. A batch whose events are all invalid is
// still a 200 listing them: the request as such was fine, and resending it
// would not help.
func (s *Server) ingestBatch(c *gin.Context) {
	received := time.Now().UTC()
	space, source, body, err := s.readIngest(c, MaxBatchBytes, func() error {
		return &httpError{
			status:  http.StatusRequestEntityTooLarge,
			code:    "invalid_request_error",
			message: fmt.Sprintf("batch body over %d bytes: at most 500 KB per batch", MaxBatchBytes),
		}
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	events, invalid, err := space.Rules.ParseBatch(body, received)
	if err != nil {
		s.writeError(c, malformed(err))
		return
	}
	s.metrics.observeInvalid(space.ID, source.ID, len(invalid))
	if err := s.commit(c.Request.Context(), space, source, events); err != nil {
		s.writeError(c, err)
		return
	}
	res := ingestResponse{Success: true}
	for _, e := range invalid {
		res.Invalid = append(res.Invalid, invalidEvent{Index: e.Index, Errors: e.Problems})
	}
	res.Rejected = res.Invalid
	c.JSON(http.StatusOK, res)
}

// malformed turns the parse error of a body that is not JSON (its one
// problem is about the body) into a plain EINVALID error, which the error
// writer answers as invalid_request_error rather than validation_error.
func malformed(err error) error {
	var e *idgraph.Error
	if errors.As(err, &e) && len(e.Problems) == 1 && e.Problems[0].Field == "body" {
		return idgraph.Errorf(idgraph.EINVALID, "%s", e.Problems[0].Message)
	}
	return err
}

// commit writes events through the writer and returns once they are
// committed. No events is nothing to do. A request that ends while its
// events wait is answered 503: nothing of them was written.
func (s *Server) commit(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) error {
	_, err := s.writer.Write(ctx, space, source, events)
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return idgraph.WrapError(idgraph.EUNAVAILABLE, err, "the request ended before its events were written")
	}
	return err
}
