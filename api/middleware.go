package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// RequestIDHeader carries the request id on every response.
const RequestIDHeader = "Request-Id"

// requestIDKey holds, on a request's context, the request's id.
type requestIDKey struct{}

// saneRequestID is what an incoming request id may look like to be kept.
var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._:+/=-]{1,128}$`)

// requestID gives every request an id: the caller's Request-Id or
// X-Request-Id when it is sane, else a new random one. The id is on the
// response and on every log line of the request (logger adds it; the
// access log line, written for every request, adds it itself rather than
// make a logger per request).
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader(RequestIDHeader)
	if !saneRequestID.MatchString(id) {
		id = c.GetHeader("X-Request-Id")
	}
	if !saneRequestID.MatchString(id) {
		id = newRequestID()
	}
	c.Header(RequestIDHeader, id)
	ctx := context.WithValue(c.Request.Context(), requestIDKey{}, id)
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// logger returns base carrying the request's request_id, or base when the
// request has none.
func logger(c *gin.Context, base *slog.Logger) *slog.Logger {
	if id := requestIDOf(c); id != "" {
		return base.With("request_id", id)
	}
	return base
}

// requestIDOf returns the request's id ("" before requestID ran).
func requestIDOf(c *gin.Context) string {
	id, _ := c.Request.Context().Value(requestIDKey{}).(string)
	return id
}

// route returns the matched route pattern: never the raw path, which may
// hold identifiers such as e-mail addresses.
func route(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "(unmatched)"
}

// accessLog logs one line per request: method, route, status, latency,
// request id and client ip. It never logs headers, query strings or bodies,
// so no credential, key or token reaches the log.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	attrs := make([]slog.Attr, 0, 7)
	if id := requestIDOf(c); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	s.logger.LogAttrs(c.Request.Context(), slog.LevelInfo, "request", append(attrs,
		slog.String("method", c.Request.Method),
		slog.String("route", route(c)),
		slog.Int("status", c.Writer.Status()),
		slog.Float64("latency_ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("client_ip", c.ClientIP()),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
	)...)
}

// recovery turns a panicking handler into a 500 in the error format;
// writeError logs it once, with the panic value and stack.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if err, ok := r.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(r)
		}
		err := &idgraph.Error{
			Code:    idgraph.EINTERNAL,
			Message: "internal error",
			Err:     fmt.Errorf("panic: %v\n%s", r, debug.Stack()),
		}
		if c.Writer.Written() {
			// Too late to answer in the error format; log it all the same.
			logger(c, s.logger).ErrorContext(c.Request.Context(), "internal error",
				"error", err.Error(), "method", c.Request.Method, "route", route(c))
			c.Abort()
			return
		}
		s.writeError(c, err)
	}()
	c.Next()
}
