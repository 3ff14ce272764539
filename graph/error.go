package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// translate turns an error from the Neo4j driver into an *idgraph.Error with a
// code from the root vocabulary; it is the one place where driver errors are
// read. The message starts with the operation (format, args) and adds a
// reason for the codes a caller can act on:
//
//   - a constraint violation: ECONFLICT;
//   - a value too large for an index key: EINVALID (the data is at fault,
//     and would fail again; parsing bounds what comes in, so this is a
//     value that slipped past it);
//   - an unreachable server, a connection closed under a transaction, a
//     closed pool, a timeout, a transient or cluster failure, retries
//     exhausted: EUNAVAILABLE;
//   - bad or expired credentials, a forbidden operation: EUNAUTHORIZED;
//   - anything else (a Cypher error is a bug): EINTERNAL.
//
// nil stays nil, and an *idgraph.Error (returned by a transaction function)
// passes through unchanged. The driver error is kept as the cause, for logs:
// the message is what a client is shown, so it never quotes a network error
// (which names Neo4j's host and port).
func translate(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if e := (*idgraph.Error)(nil); errors.As(err, &e) {
		return err
	}
	code, reason := classify(err)
	msg := fmt.Sprintf(format, args...)
	if reason != "" {
		msg += ": " + reason
	}
	return idgraph.WrapError(code, err, "%s", msg)
}

// classify returns the code of a driver error and a reason safe to show.
// Several driver error types do not implement Unwrap, so it unwraps them here.
func classify(err error) (code, reason string) {
	var (
		neoErr   *neo4j.Neo4jError
		connErr  *neo4j.ConnectivityError
		limitErr *neo4j.TransactionExecutionLimit
		authErr  *neo4j.InvalidAuthenticationError
		tokenErr *neo4j.TokenExpiredError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return idgraph.EUNAVAILABLE, "neo4j did not answer in time"
	case errors.Is(err, context.Canceled):
		return idgraph.EUNAVAILABLE, "neo4j request canceled"
	case errors.As(err, &connErr):
		if connErr.Inner == nil {
			return idgraph.EUNAVAILABLE, "neo4j unreachable"
		}
		if code, reason := classify(connErr.Inner); code != idgraph.EINTERNAL {
			return code, reason
		}
		return idgraph.EUNAVAILABLE, "neo4j unreachable"
	case errors.As(err, &limitErr):
		if n := len(limitErr.Errors); n > 0 {
			if code, reason := classify(limitErr.Errors[n-1]); code != idgraph.EINTERNAL {
				return code, reason
			}
		}
		return idgraph.EUNAVAILABLE, "neo4j kept failing: " + limitErr.Cause
	case errors.As(err, &authErr), errors.As(err, &tokenErr):
		return idgraph.EUNAUTHORIZED, "neo4j refused the credentials"
	case errors.As(err, &neoErr):
		return classifyServer(neoErr)
	}
	var usage *neo4j.UsageError
	if errors.As(err, &usage) && strings.Contains(usage.Message, "closed") {
		return idgraph.EUNAVAILABLE, "neo4j driver closed"
	}
	if isNetError(err) {
		return idgraph.EUNAVAILABLE, "neo4j unreachable"
	}
	if brokenConnection(err) {
		return idgraph.EUNAVAILABLE, "neo4j closed the connection"
	}
	return idgraph.EINTERNAL, ""
}

// classifyServer classifies an error the server answered with, by its code
// (Neo.<Classification>.<Category>.<Title>).
func classifyServer(e *neo4j.Neo4jError) (code, reason string) {
	switch {
	case e.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
		return idgraph.ECONFLICT, "conflicts with existing data"
	case strings.Contains(e.Msg, "too large to index"):
		return idgraph.EINVALID, "a value is too large for a Neo4j index"
	case e.HasSecurityCode():
		if e.IsAuthenticationFailed() || strings.HasSuffix(e.Code, ".AuthenticationRateLimit") {
			return idgraph.EUNAUTHORIZED, "neo4j refused the credentials"
		}
		return idgraph.EUNAUTHORIZED, "neo4j refused: " + e.Title()
	case e.Code == "Neo.ClientError.Database.DatabaseNotFound":
		return idgraph.EUNAVAILABLE, "neo4j database not found: " + e.Msg
	case e.Classification() == "TransientError", e.IsRetriableCluster(),
		e.Category() == "Cluster", e.Code == "Neo.ClientError.Database.DatabaseUnavailable":
		return idgraph.EUNAVAILABLE, "neo4j unavailable: " + e.Title()
	}
	return idgraph.EINTERNAL, ""
}

// nextAfter says what retry does after an attempt that failed with err, a
// driver error (or one a transaction function returned): retry at once on
// a connection that broke under the transaction, after a pause on a
// transient server error, and never when Neo4j cannot be reached, so that
// an outage answers EUNAVAILABLE at once instead of after a retry budget.
func nextAfter(err error) next {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return stop
	}
	var (
		connErr *neo4j.ConnectivityError
		neoErr  *neo4j.Neo4jError
	)
	switch {
	case errors.As(err, &connErr):
		if brokenConnection(connErr.Inner) {
			return reconnect
		}
		return stop
	case errors.As(err, &neoErr):
		if neoErr.Code == "Neo.TransientError.General.DatabaseUnavailable" || !neoErr.IsRetriable() {
			return stop
		}
		return backOff
	case brokenConnection(err):
		return reconnect
	}
	return stop
}

// brokenConnection reports whether err is an established connection
// failing (closed or reset by the other end), as opposed to one that could
// not be made (a refused or timed-out connect, a TLS failure, no connection
// free in the pool), which says Neo4j is unreachable.
func brokenConnection(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && (op.Op == "read" || op.Op == "write") && !op.Timeout()
}

// isEquivalentSchema reports whether err (from the driver, or translated)
// says that the schema rule a migration creates already exists: another
// process created it first.
func isEquivalentSchema(err error) bool {
	var e *neo4j.Neo4jError
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
		"Neo.ClientError.Schema.ConstraintAlreadyExists",
		"Neo.ClientError.Schema.ConstraintWithNameAlreadyExists",
		"Neo.ClientError.Schema.IndexAlreadyExists",
		"Neo.ClientError.Schema.IndexWithNameAlreadyExists":
		return true
	}
	return false
}

// isNetError reports whether err comes from the network (dial, read, write).
func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}
