package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/idgraph/idgraph"
)

// server is `idgraph serve` running as a child process, so that its memory
// is its own and can be read from /proc.
type server struct {
	cmd    *exec.Cmd
	addr   string // host:port on 127.0.0.1
	exited chan struct{}
	err    error // the process's exit, once exited is closed

	mu   sync.Mutex
	tail []string // the last lines of its log
}

// startServer starts binary serve with env and waits, two minutes at most,
// until it listens on a loopback address and /readyz answers 200.
func startServer(ctx context.Context, binary string, env []string) (*server, error) {
	s, listening, err := launch(binary, env)
	if err != nil {
		return nil, err
	}
	deadline := time.NewTimer(2 * time.Minute)
	defer deadline.Stop()
	if err := s.waitListening(ctx, listening, deadline.C); err != nil {
		return nil, err
	}
	if err := s.waitReady(ctx, deadline.C); err != nil {
		return nil, err
	}
	return s, nil
}

// launch starts binary serve and reads its log; the address it listens on
// comes on the channel.
func launch(binary string, env []string) (*server, <-chan string, error) {
	s := &server{cmd: exec.Command(binary, "serve"), exited: make(chan struct{})}
	s.cmd.Env = env
	s.cmd.Stdout = io.Discard
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, nil, idgraph.WrapError(idgraph.EINVALID, err, "start %s serve", binary)
	}
	listening := make(chan string, 1)
	logDone := make(chan struct{})
	go s.readLog(stderr, listening, logDone)
	go func() {
		<-logDone
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	return s, listening, nil
}

// readLog reads the server's JSON log until it ends: it sends the address
// of the "listening" line on listening and keeps the last lines, the access
// log left out, for error messages. It closes done at the end.
func (s *server) readLog(r io.Reader, listening chan<- string, done chan<- struct{}) {
	defer close(done)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var entry struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "listening" {
			select {
			case listening <- entry.Addr:
			default:
			}
		}
		if entry.Msg == "request" {
			continue
		}
		s.mu.Lock()
		s.tail = append(s.tail, line)
		if len(s.tail) > 40 {
			s.tail = s.tail[len(s.tail)-40:]
		}
		s.mu.Unlock()
	}
}

// waitListening waits for the address the server listens on, and checks
// that it is a loopback one; it kills the server when it gives up.
func (s *server) waitListening(ctx context.Context, listening <-chan string, deadline <-chan time.Time) error {
	select {
	case s.addr = <-listening:
	case <-s.exited:
		return fmt.Errorf("idgraph serve exited (%v) before listening:\n%s", s.err, s.logTail())
	case <-deadline:
		s.kill()
		return fmt.Errorf("idgraph serve did not listen within 2 minutes:\n%s", s.logTail())
	case <-ctx.Done():
		s.kill()
		return ctx.Err()
	}
	if host, _, err := net.SplitHostPort(s.addr); err != nil || !net.ParseIP(host).IsLoopback() {
		s.kill()
		return fmt.Errorf("idgraph serve listens on %q, want 127.0.0.1", s.addr)
	}
	return nil
}

// waitReady polls /readyz until it answers 200; it kills the server when it
// gives up.
func (s *server) waitReady(ctx context.Context, deadline <-chan time.Time) error {
	for {
		res, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("idgraph serve exited (%v):\n%s", s.err, s.logTail())
		case <-deadline:
			s.kill()
			return fmt.Errorf("idgraph serve not ready within 2 minutes:\n%s", s.logTail())
		case <-ctx.Done():
			s.kill()
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) logTail() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.tail, "\n")
}

func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// stop sends SIGTERM, waits for a clean exit (killing the process after 30
// s), and returns the process's peak resident memory in bytes.
func (s *server) stop() (int64, error) {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.kill()
		return maxRSS(s.cmd.ProcessState), fmt.Errorf("idgraph serve did not stop within 30 s after SIGTERM")
	}
	if s.err != nil {
		return maxRSS(s.cmd.ProcessState), fmt.Errorf("idgraph serve: %v\n%s", s.err, s.logTail())
	}
	return maxRSS(s.cmd.ProcessState), nil
}
