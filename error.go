package idgraph

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes: the one vocabulary every layer uses. graph/ translates driver
// errors into them, api/ maps them to HTTP statuses.
const (
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden" // authenticated, but not allowed: a token without the scope
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EUNAVAILABLE  = "unavailable"
)

// Error is an application error with a code from the vocabulary above and a
// message safe to show to a user.
type Error struct {
	Code    string
	Message string
	// Problems lists field-level problems of an EINVALID error, one per problem.
	Problems Problems
	// Err is the underlying cause, for logs only; never shown to users.
	Err error
}

func (e *Error) Error() string {
	msg := e.Message
	if len(e.Problems) > 0 {
		msg = e.Problems.Error()
	}
	if e.Err != nil {
		return fmt.Sprintf("idgraph %s: %s: %v", e.Code, msg, e.Err)
	}
	return fmt.Sprintf("idgraph %s: %s", e.Code, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with the given code and message that keeps err
// as its cause.
func WrapError(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of err, EINTERNAL for errors of unknown origin and
// "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal errors get a
// generic message so no detail leaks.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		if len(e.Problems) > 0 {
			return e.Problems.Error()
		}
		return e.Message
	}
	return "internal error"
}

// Problem is one thing wrong with an input, naming the field it is about.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p Problem) String() string { return p.Field + ": " + p.Message }

// Problems collects every problem found in one input, so a user sees them all
// at once.
type Problems []Problem

// Add records a problem with a formatted message.
func (ps *Problems) Add(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Error joins the problems into one line.
func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}

// Err returns nil when there is no problem, else an EINVALID *Error carrying
// them.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: ps.Error(), Problems: ps}
}
