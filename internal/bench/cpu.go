package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/PID/stat's CPU times; 100 on
// every Linux this runs on.
const clockTicks = 100

// cpuTime returns the CPU time (user + system) a process has used, from
// /proc/PID/stat.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad CPU times", pid)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// neo4jPID finds a Neo4j server running on this machine, 0 when there is
// none (a remote Neo4j): its CPU time is then not reported.
func neo4jPID() int {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err != nil || !strings.Contains(string(b), "org.neo4j.server") {
			continue
		}
		pid, err := strconv.Atoi(filepath.Base(d))
		if err == nil {
			return pid
		}
	}
	return 0
}

// machineBusy returns the CPU time the whole machine has spent busy (not
// idle or waiting for I/O), from the first line of /proc/stat.
func machineBusy() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var busy int64
	for i, v := range f[1:9] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, err
		}
		busy += n
	}
	return time.Duration(busy) * time.Second / clockTicks, nil
}

// cpuMeter measures the CPU time of Neo4j, idgraph and this process over a
// phase, and what the rest of the machine used meanwhile.
type cpuMeter struct {
	pids  map[string]int
	start map[string]time.Duration
	busy  time.Duration
	wall  time.Time
}

func startCPU(pids map[string]int) *cpuMeter {
	m := &cpuMeter{pids: pids, start: map[string]time.Duration{}, wall: time.Now()}
	m.busy, _ = machineBusy()
	for name, pid := range pids {
		if pid > 0 {
			if t, err := cpuTime(pid); err == nil {
				m.start[name] = t
			}
		}
	}
	return m
}

// Stop returns what each process used, as a sentence; "" when nothing
// could be read.
func (m *cpuMeter) Stop() string {
	wall := time.Since(m.wall)
	var parts []string
	total := time.Duration(0)
	for _, name := range []string{"Neo4j", "idgraph", "load generator"} {
		pid, ok := m.pids[name]
		start, ok2 := m.start[name]
		if !ok || !ok2 {
			continue
		}
		t, err := cpuTime(pid)
		if err != nil {
			continue
		}
		used := t - start
		total += used
		parts = append(parts, fmt.Sprintf("%s %.1f s", name, used.Seconds()))
	}
	if len(parts) == 0 {
		return ""
	}
	others := ""
	if busy, err := machineBusy(); err == nil && m.busy > 0 {
		others = fmt.Sprintf("; other processes %.1f s", max(0, (busy-m.busy-total).Seconds()))
	}
	return fmt.Sprintf(" CPU used (/proc/PID/stat): %s, %.1f s in all over %.1f s of wall time on %d cores (%.0f%% busy)%s.",
		strings.Join(parts, ", "), total.Seconds(), wall.Seconds(), numCPU(), 100*total.Seconds()/(wall.Seconds()*float64(numCPU())), others)
}
