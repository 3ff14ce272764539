package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

func TestNextAfter(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	tests := []struct {
		name string
		err  error
		want next
	}{
		{"connect refused", &neo4j.ConnectivityError{Inner: refused}, stop},
		{"connect refused, wrapped", fmt.Errorf("list: %w", &neo4j.ConnectivityError{Inner: refused}), stop},
		{"connection closed by neo4j", &neo4j.ConnectivityError{Inner: io.EOF}, reconnect},
		{"connection reset", &neo4j.ConnectivityError{Inner: reset}, reconnect},
		{"read on a closed connection, unwrapped", reset, reconnect},
		{"no connection free", &neo4j.ConnectivityError{Inner: errors.New("timeout while waiting for a connection")}, stop},
		{"retries exhausted, one attempt refused", &neo4j.TransactionExecutionLimit{Errors: []error{&neo4j.ConnectivityError{Inner: refused}}}, stop},
		{"deadlock", &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"}, backOff},
		{"lock wait timeout", &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.LockAcquisitionTimeout"}, backOff},
		{"not a leader", &neo4j.Neo4jError{Code: "Neo.ClientError.Cluster.NotALeader"}, backOff},
		{"database unavailable", &neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable"}, stop},
		{"constraint", &neo4j.Neo4jError{Code: "Neo.ClientError.Schema.ConstraintValidationFailed"}, stop},
		{"syntax", &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}, stop},
		{"deadline", context.DeadlineExceeded, stop},
		{"the work's own error", idgraph.Errorf(idgraph.ENOTFOUND, "no profile"), stop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextAfter(lastAttemptError(tt.err)); got != tt.want {
				t.Errorf("nextAfter(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

// TestRetryPause holds the pauses between retries short: between half and
// all of 5 ms doubling per failure, never above 250 ms, unlike the
// driver's one second doubling.
func TestRetryPause(t *testing.T) {
	for failed := 1; failed <= 40; failed++ {
		most := min(firstPause<<min(failed-1, 8), maxPause)
		for range 100 {
			if d := retryPause(failed); d < most/2 || d > most {
				t.Fatalf("pause after %d failures: got %v, want %v to %v", failed, d, most/2, most)
			}
		}
	}
	if maxPause > 250*time.Millisecond {
		t.Errorf("longest pause %v, want at most 250 ms", maxPause)
	}
}
