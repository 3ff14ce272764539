package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
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

// startServer starts binary serve with env and waits until it listens and
// /readyz answers 200.
func startServer(ctx context.Context, binary string, env []string) (*server, error) {
	s := &server{cmd: exec.Command(binary, "serve"), exited: make(chan struct{})}
	s.cmd.Env = env
	s.cmd.Stdout = io.Discard
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "start %s serve", binary)
	}
	listening := make(chan string, 1)
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(stderr)
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
			s.mu.Lock()
			if entry.Msg != "request" { // keep the access log out of the tail
				s.tail = append(s.tail, line)
				if len(s.tail) > 40 {
					s.tail = s.tail[len(s.tail)-40:]
				}
			}
			s.mu.Unlock()
		}
	}()
	go func() {
		<-logDone
		s.err = s.cmd.Wait()
		close(s.exited)
	}()

	deadline := time.NewTimer(2 * time.Minute)
	defer deadline.Stop()
	select {
	case s.addr = <-listening:
	case <-s.exited:
		return nil, fmt.Errorf("idgraph serve exited (%v) before listening:\n%s", s.err, s.logTail())
	case <-deadline.C:
		s.kill()
		return nil, fmt.Errorf("idgraph serve did not listen within 2 minutes:\n%s", s.logTail())
	case <-ctx.Done():
		s.kill()
		return nil, ctx.Err()
	}
	if host, _, err := net.SplitHostPort(s.addr); err != nil || !net.ParseIP(host).IsLoopback() {
		s.kill()
		return nil, fmt.Errorf("idgraph serve listens on %q, want 127.0.0.1", s.addr)
	}
	for {
		res, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("idgraph serve exited (%v):\n%s", s.err, s.logTail())
		case <-deadline.C:
			s.kill()
			return nil, fmt.Errorf("idgraph serve not ready within 2 minutes:\n%s", s.logTail())
		case <-ctx.Done():
			s.kill()
			return nil, ctx.Err()
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

// maxRSS returns a finished process's peak resident memory in bytes.
func maxRSS(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024 // kilobytes on Linux
	}
	return 0
}

// memory reads a process's current and peak resident memory, in bytes, from
// /proc/PID/status (VmRSS, VmHWM).
func memory(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/status %s: %v", pid, k, err)
		}
		if k == "VmRSS" {
			rss = kb * 1024
		} else {
			hwm = kb * 1024
		}
	}
	return rss, hwm, nil
}

// sampler records the largest VmRSS of a process while it runs.
type sampler struct {
	stop chan struct{}
	done chan struct{}
	peak int64
}

func sampleMemory(pid int, every time.Duration) *sampler {
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if rss, _, err := memory(pid); err == nil {
				s.peak = max(s.peak, rss)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// Stop ends sampling and returns the largest VmRSS seen, in bytes.
func (s *sampler) Stop() int64 {
	close(s.stop)
	<-s.done
	return s.peak
}
