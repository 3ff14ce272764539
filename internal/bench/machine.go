package bench

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine describes where a run took place, read at run time.
type Machine struct {
	CPU            string `json:"cpu"`
	Cores          int    `json:"cores"`
	Memory         string `json:"memory"`
	OS             string `json:"os"`
	Go             string `json:"go"`
	IdgraphVersion string `json:"idgraph_version"`
	Neo4jVersion   string `json:"neo4j_version"`
	Neo4jEdition   string `json:"neo4j_edition"`
	Neo4jHeap      string `json:"neo4j_heap"`
	Neo4jPageCache string `json:"neo4j_pagecache"`
	// Neo4jStore is the size of the server's databases and transaction
	// logs on disk when the run started, read from its data directory
	// when this process can read it ("" when not): a store many times the
	// page cache makes every rate lower.
	Neo4jStore string `json:"neo4j_store,omitempty"`
	Java       string `json:"java"`
	// LoadBefore and LoadAfter are /proc/loadavg's 1-minute load when the
	// run started and ended: other work on the machine.
	LoadBefore string `json:"load_before"`
	LoadAfter  string `json:"load_after"`
}

// loadAvg returns the 1-, 5- and 15-minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// readMachine reads the CPU, memory, kernel and Go version of this machine,
// and the version the idgraph binary reports.
func readMachine(ctx context.Context, binary string) Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), CPU: "unknown", Memory: "unknown", OS: runtime.GOOS, LoadBefore: loadAvg()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.OS = "Linux " + strings.TrimSpace(string(b))
	}
	m.IdgraphVersion = idgraphVersion(ctx, binary)
	return m
}

// storeSize sums the sizes of the files under data's databases and
// transactions directories, "" when it cannot read them.
func storeSize(data string) string {
	if data == "" {
		return ""
	}
	var total int64
	for _, dir := range []string{"databases", "transactions"} {
		err := filepath.WalkDir(filepath.Join(data, dir), func(_ string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				info, err := d.Info()
				if err != nil {
					return err
				}
				total += info.Size()
			}
			return nil
		})
		if err != nil {
			return ""
		}
	}
	return fmt.Sprintf("%.1f GiB", float64(total)/(1<<30))
}

// idgraphVersion asks binary for its version (the commit it was built at),
// "" when it cannot tell.
func idgraphVersion(ctx context.Context, binary string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, binary, "version").Output()
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "idgraph ")
}

// javaVersion asks the java on PATH, when Neo4j's own JVM could not be read.
func javaVersion(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "java", "-version").CombinedOutput()
	if err != nil {
		return "unknown"
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(first) + " (java on PATH)"
}

func numCPU() int { return runtime.NumCPU() }
