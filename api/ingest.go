package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// Limits of the Segment HTTP Tracking API.
const (
	MaxEventBytes  = 32 << 10  // one event: a single call's body or an item of a batch
	MaxBatchBytes  = 500 << 10 // a batch body, after gunzip
	MaxBatchEvents = 2500
)

// ingestRoutes registers the Segment HTTP Tracking API. The typed routes
// fix the event's type; /v1/import is /v1/batch under another name.
func (s *Server) ingestRoutes(r gin.IRoutes) {
	r.POST("/v1/identify", s.ingestEvent(idgraph.EventIdentify))
	r.POST("/v1/track", s.ingestEvent(idgraph.EventTrack))
	r.POST("/v1/page", s.ingestEvent(idgraph.EventPage))
	r.POST("/v1/screen", s.ingestEvent(idgraph.EventScreen))
	r.POST("/v1/group", s.ingestEvent(idgraph.EventGroup))
	r.POST("/v1/alias", s.ingestEvent(idgraph.EventAlias))
	r.POST("/v1/batch", s.ingestBatch)
	r.POST("/v1/import", s.ingestBatch)
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
		e, err := idgraph.ParseEventAs(typ, body, received)
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
	if err := checkBatchItems(body); err != nil {
		s.writeError(c, err)
		return
	}
	events, invalid, err := idgraph.ParseBatch(body, received)
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

// readIngest authenticates an ingestion request and reads its body (at
// most limit bytes, before and after gunzip; tooLarge is the error beyond).
// The write key is the HTTP Basic username, else the body's writeKey; it
// selects the space and source.
func (s *Server) readIngest(c *gin.Context, limit int64, tooLarge func() error) (idgraph.Space, idgraph.Source, []byte, error) {
	var (
		space  idgraph.Space
		source idgraph.Source
	)
	if s.spaces == nil || s.writer == nil {
		return space, source, nil, idgraph.Errorf(idgraph.EUNAVAILABLE, "ingestion is not configured")
	}
	if ct := c.GetHeader("Content-Type"); !jsonContentType(ct) {
		return space, source, nil, &httpError{
			status:  http.StatusUnsupportedMediaType,
			code:    "invalid_request_error",
			message: fmt.Sprintf("Content-Type %q: send JSON (application/json)", ct),
		}
	}
	key, _, basic := c.Request.BasicAuth()
	if basic && key != "" {
		var ok bool
		if space, source, ok = s.spaces.BySourceKey(key); !ok {
			return space, source, nil, unauthorized(c, "unknown write key")
		}
	}
	body, err := readBody(c, limit, tooLarge)
	if err != nil {
		return space, source, nil, err
	}
	if source.ID != "" {
		return space, source, body, nil
	}
	if key = idgraph.WriteKeyOf(body); key == "" {
		if !json.Valid(body) {
			// The key may be in there: say what stops us reading it.
			_, err := idgraph.ParseEvent(body, time.Time{})
			return space, source, nil, malformed(err)
		}
		return space, source, nil, unauthorized(c, "no write key: send it as the HTTP Basic username (with an empty password) or as writeKey in the body")
	}
	var ok bool
	if space, source, ok = s.spaces.BySourceKey(key); !ok {
		return space, source, nil, unauthorized(c, "unknown write key")
	}
	return space, source, body, nil
}

// unauthorized is the 401 of ingestion; the key itself is never shown.
func unauthorized(c *gin.Context, message string) error {
	c.Header("WWW-Authenticate", `Basic realm="idgraph"`)
	return idgraph.Errorf(idgraph.EUNAUTHORIZED, "%s", message)
}

// jsonContentType reports whether a request's Content-Type may carry JSON:
// none, application/json and the other JSON types, or text/plain, which
// analytics.js sends to spare browsers a CORS preflight.
func jsonContentType(ct string) bool {
	if strings.TrimSpace(ct) == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || mt == "text/json" || mt == "text/plain" || strings.HasSuffix(mt, "+json")
}

// readBody reads the request body, gunzipping it when its Content-Encoding
// is gzip. The body may hold at most limit bytes both as sent and once
// decompressed, so neither a large upload nor a gzip bomb is read past
// the limit; beyond it the answer is tooLarge().
func readBody(c *gin.Context, limit int64, tooLarge func() error) ([]byte, error) {
	var gzipped bool
	switch enc := strings.ToLower(strings.TrimSpace(c.GetHeader("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		gzipped = true
	default:
		return nil, &httpError{
			status:  http.StatusUnsupportedMediaType,
			code:    "invalid_request_error",
			message: fmt.Sprintf("Content-Encoding %q: send the body as is or gzip it", enc),
		}
	}
	if c.Request.ContentLength > limit {
		return nil, tooLarge()
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, tooLarge()
		}
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "read the request body: %v", err)
	}
	if !gzipped {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "Content-Encoding is gzip but the body is not: %v", err)
	}
	data, err = io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "gunzip the body: %v", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge()
	}
	return data, nil
}

// checkBatchItems refuses a batch of more than MaxBatchEvents events or
// holding an event over MaxEventBytes, naming the indexes. A body that is
// not a batch passes: ParseBatch says what is wrong with it.
func checkBatchItems(body []byte) error {
	var probe struct {
		Batch []json.RawMessage `json:"batch"`
	}
	if json.Unmarshal(body, &probe) != nil {
		return nil
	}
	if n := len(probe.Batch); n > MaxBatchEvents {
		return idgraph.Problems{{
			Field:   fmt.Sprintf("batch[%d]", MaxBatchEvents),
			Message: fmt.Sprintf("%d events: at most %d per batch, so the events from index %d on are over", n, MaxBatchEvents, MaxBatchEvents),
		}}.Err()
	}
	var ps idgraph.Problems
	for i, raw := range probe.Batch {
		if len(raw) > MaxEventBytes {
			ps.Add(fmt.Sprintf("batch[%d]", i), "event is %d bytes: at most %d (32 KB) per event", len(raw), MaxEventBytes)
		}
	}
	return ps.Err()
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
