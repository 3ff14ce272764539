package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

func TestTranslate(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	own := idgraph.Errorf(idgraph.ENOTFOUND, "no profile")
	tests := []struct {
		name       string
		err        error
		wantCode   string
		wantInMsg  string
		wantSameAs error
	}{
		{name: "nil", err: nil, wantCode: ""},
		{name: "constraint violation",
			err:      &neo4j.Neo4jError{Code: "Neo.ClientError.Schema.ConstraintValidationFailed", Msg: "Node(1) already exists"},
			wantCode: idgraph.ECONFLICT, wantInMsg: "conflicts with existing data"},
		{name: "bad credentials",
			err:      &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized", Msg: "The client is unauthorized"},
			wantCode: idgraph.EUNAUTHORIZED, wantInMsg: "refused the credentials"},
		{name: "auth rate limit",
			err:      &neo4j.Neo4jError{Code: "Neo.ClientError.Security.AuthenticationRateLimit"},
			wantCode: idgraph.EUNAUTHORIZED},
		{name: "forbidden",
			err:      &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Forbidden"},
			wantCode: idgraph.EUNAUTHORIZED, wantInMsg: "Forbidden"},
		{name: "connectivity",
			err:      &neo4j.ConnectivityError{Inner: refused},
			wantCode: idgraph.EUNAVAILABLE, wantInMsg: "neo4j unreachable"},
		{name: "bare network error", err: refused, wantCode: idgraph.EUNAVAILABLE, wantInMsg: "neo4j unreachable"},
		// What retry leaves of a connection that kept breaking, once it
		// has unwrapped the driver's "retries exhausted".
		{name: "connection closed", err: fmt.Errorf("run: %w", io.EOF), wantCode: idgraph.EUNAVAILABLE, wantInMsg: "closed the connection"},
		{name: "transient",
			err:      &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"},
			wantCode: idgraph.EUNAVAILABLE, wantInMsg: "DeadlockDetected"},
		{name: "database unavailable",
			err:      &neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable"},
			wantCode: idgraph.EUNAVAILABLE},
		{name: "not a leader",
			err:      &neo4j.Neo4jError{Code: "Neo.ClientError.Cluster.NotALeader"},
			wantCode: idgraph.EUNAVAILABLE},
		{name: "database not found",
			err:      &neo4j.Neo4jError{Code: "Neo.ClientError.Database.DatabaseNotFound", Msg: "nope"},
			wantCode: idgraph.EUNAVAILABLE, wantInMsg: "database not found"},
		{name: "retries exhausted on a deadlock",
			err: &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{
				&neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"}}},
			wantCode: idgraph.EUNAVAILABLE},
		{name: "retries exhausted on connectivity",
			err:      &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{&neo4j.ConnectivityError{Inner: refused}}},
			wantCode: idgraph.EUNAVAILABLE, wantInMsg: "neo4j unreachable"},
		{name: "deadline", err: fmt.Errorf("read: %w", context.DeadlineExceeded),
			wantCode: idgraph.EUNAVAILABLE, wantInMsg: "did not answer in time"},
		{name: "a value too large to index is the data's fault",
			err: &neo4j.Neo4jError{Code: "Neo.DatabaseError.Statement.ExecutionFailed",
				Msg: "Property value is too large to index, please see index documentation for limitations. Index: Index( id=3, name='identifier_key' ), property size: 9038."},
			wantCode: idgraph.EINVALID, wantInMsg: "too large for a Neo4j index"},
		{name: "syntax error is a bug",
			err:      &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: "Invalid input"},
			wantCode: idgraph.EINTERNAL},
		{name: "unknown error", err: errors.New("boom"), wantCode: idgraph.EINTERNAL},
		{name: "own error passes through", err: own, wantCode: idgraph.ENOTFOUND, wantSameAs: own},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := translate(tt.err, "do %s", "thing")
			if tt.err == nil {
				if got != nil {
					t.Fatalf("translate(nil) = %v, want nil", got)
				}
				return
			}
			if code := idgraph.ErrorCode(got); code != tt.wantCode {
				t.Errorf("code = %q, want %q (error %v)", code, tt.wantCode, got)
			}
			if tt.wantSameAs != nil {
				if got != tt.wantSameAs {
					t.Errorf("translate returned %v, want the *idgraph.Error unchanged", got)
				}
				return
			}
			msg := idgraph.ErrorMessage(got)
			if !strings.HasPrefix(msg, "do thing") {
				t.Errorf("message %q does not start with the operation %q", msg, "do thing")
			}
			if !strings.Contains(msg, tt.wantInMsg) {
				t.Errorf("message %q does not contain %q", msg, tt.wantInMsg)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("translated error does not keep the driver error as its cause")
			}
		})
	}
}

func TestIsEquivalentSchema(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists"}, true},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Schema.ConstraintAlreadyExists"}, true},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Schema.IndexAlreadyExists"}, true},
		{translate(&neo4j.Neo4jError{Code: "Neo.ClientError.Schema.IndexAlreadyExists"}, "apply"), true},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}, false},
		{errors.New("boom"), false},
	}
	for _, tt := range tests {
		if got := isEquivalentSchema(tt.err); got != tt.want {
			t.Errorf("isEquivalentSchema(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
