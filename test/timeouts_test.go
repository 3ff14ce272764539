package test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// closedWithin reads conn until the server closes it and returns how long
// that took, failing t when it is still open after limit.
func closedWithin(t *testing.T, conn net.Conn, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(limit))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open for %s", limit)
	}
	return time.Since(start)
}

// send dials addr and writes request as written.
func send(t *testing.T, addr, request string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	return conn
}

// stalledBody is a request whose body is promised and never sent.
const stalledBody = "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"us"

func TestServeTimesOutStalledAndIdleConnections(t *testing.T) {
	p := startEnv(t, []string{"IDGRAPH_READ_TIMEOUT=1s", "IDGRAPH_IDLE_TIMEOUT=1s"}, "serve")
	addr := p.addr(t)

	// The connection of a stalled body ends after the read timeout (it was
	// kept for 35 s and more).
	closedWithin(t, send(t, addr, stalledBody), 10*time.Second)

	// A keep-alive connection left idle after its answer ends after the
	// idle timeout.
	idle := send(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET /healthz: %v, %v", res, err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	closedWithin(t, idle, 10*time.Second)
}

func TestServeExitsZeroWhenTheGracePeriodEndsOnASlowClient(t *testing.T) {
	p := startEnv(t, []string{"IDGRAPH_SHUTDOWN_TIMEOUT=1s", "IDGRAPH_READ_TIMEOUT=60s"}, "serve")
	send(t, p.addr(t), stalledBody)
	time.Sleep(200 * time.Millisecond) // its headers read: an active connection
	p.terminate(t, 20*time.Second)
	if logs := p.logs(); !strings.Contains(logs, "closing the connections left after the grace period") || !strings.Contains(logs, `"msg":"stopped"`) {
		t.Errorf("log does not tell the grace period ended and the server stopped:\n%s", logs)
	}
}
