package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// answer is how an error is shown over HTTP.
type answer struct {
	status int
	code   string // the Segment Profile API error code
}

// answers is the one map from a root error code to an HTTP answer.
var answers = map[string]answer{
	idgraph.EINVALID:      {http.StatusBadRequest, "validation_error"},
	idgraph.EUNAUTHORIZED: {http.StatusUnauthorized, "authentication_error"},
	idgraph.EFORBIDDEN:    {http.StatusForbidden, "forbidden"},
	idgraph.ENOTFOUND:     {http.StatusNotFound, "not_found"},
	idgraph.ECONFLICT:     {http.StatusConflict, "conflict"},
	idgraph.EUNAVAILABLE:  {http.StatusServiceUnavailable, "unavailable"},
	idgraph.EINTERNAL:     {http.StatusInternalServerError, "internal_error"},
}

// retryAfter is the Retry-After of a 503, in seconds.
const retryAfter = "5"

// errorBody is the body of every error answer:
// {"error": {"code": "...", "message": "..."}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code     string           `json:"code"`
	Message  string           `json:"message"`
	Problems idgraph.Problems `json:"problems,omitempty"`
}

// httpError is an answer the root vocabulary has no code for, such as 405.
type httpError struct {
	status  int
	code    string
	message string
}

func (e *httpError) Error() string { return e.message }

// writeError answers a request with err: the status and code from answers, the
// user-facing message, a Retry-After for 503. Internal errors are logged here,
// once, and shown as "internal error" with no detail.
//
// An EINVALID error without field problems is a malformed request
// (invalid_request_error); with problems it is a validation_error.
func (s *Server) writeError(c *gin.Context, err error) {
	var (
		a       answer
		message string
		detail  errorDetail
	)
	if he := (*httpError)(nil); errors.As(err, &he) {
		a, message = answer{he.status, he.code}, he.message
	} else {
		code := idgraph.ErrorCode(err)
		var ok bool
		if a, ok = answers[code]; !ok {
			a = answers[idgraph.EINTERNAL]
		}
		message = idgraph.ErrorMessage(err)
		if e := (*idgraph.Error)(nil); errors.As(err, &e) && code == idgraph.EINVALID {
			if len(e.Problems) == 0 {
				a.code = "invalid_request_error"
			}
			detail.Problems = e.Problems
		}
		if a.status == http.StatusInternalServerError {
			message = "internal error"
			logger(c, s.logger).ErrorContext(c.Request.Context(), "internal error",
				"error", err.Error(), "method", c.Request.Method, "route", route(c))
		}
	}
	if a.status == http.StatusServiceUnavailable {
		c.Header("Retry-After", retryAfter)
		// The body says what is unavailable; the cause (a dial error
		// naming Neo4j's address, say) is for the operator's log only.
		logger(c, s.logger).WarnContext(c.Request.Context(), "unavailable",
			"error", err.Error(), "method", c.Request.Method, "route", route(c))
	}
	detail.Code, detail.Message = a.code, message
	c.AbortWithStatusJSON(a.status, errorBody{Error: detail})
}

func (s *Server) noRoute(c *gin.Context) {
	s.writeError(c, idgraph.Errorf(idgraph.ENOTFOUND, "no route for %s %s", c.Request.Method, c.Request.URL.Path))
}

func (s *Server) noMethod(c *gin.Context) {
	s.writeError(c, &httpError{
		status:  http.StatusMethodNotAllowed,
		code:    "invalid_request_error",
		message: fmt.Sprintf("method %s not allowed on %s (allowed: %s)", c.Request.Method, c.Request.URL.Path, c.Writer.Header().Get("Allow")),
	})
}
