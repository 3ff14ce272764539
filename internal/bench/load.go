package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/idgraph/idgraph/ingest"
)

// splitBySource writes the first limit events of file into one file per
// source under dir, for idgraph load, and returns their paths by source.
func splitBySource(file, dir string, limit int) (map[string]string, map[string]int, error) {
	in, err := os.Open(file)
	if err != nil {
		return nil, nil, err
	}
	defer in.Close()
	paths, counts := map[string]string{}, map[string]int{}
	outs := map[string]*bufio.Writer{}
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, a := range Apps {
		p := filepath.Join(dir, "load."+a.Source+".ndjson")
		f, err := os.Create(p)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, f)
		paths[a.Source], outs[a.Source] = p, bufio.NewWriterSize(f, 1<<16)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), ingest.MaxLineBytes)
	n := 0
	for n < limit && sc.Scan() {
		line := sc.Bytes()
		src, ok := SourceOf(appName(line))
		if !ok {
			continue
		}
		n++
		counts[src]++
		outs[src].Write(line)
		outs[src].WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	for _, w := range outs {
		if err := w.Flush(); err != nil {
			return nil, nil, err
		}
	}
	return paths, counts, nil
}

// loadResult is one timed run of idgraph load per source, side by side.
type loadResult struct {
	Events int
	Loaded int
	Took   time.Duration
	MaxRSS int64 // the largest peak resident memory of the load processes
}

var loadedLine = regexp.MustCompile(`loaded (\d+), duplicate (\d+), invalid (\d+)`)

// ingestLoad runs `idgraph load -space S -source SRC -batch 500 FILE` for
// every source at once and times them from start to the last exit.
func ingestLoad(ctx context.Context, binary string, env []string, space string, files map[string]string, counts map[string]int) (loadResult, error) {
	var res loadResult
	type done struct {
		out    string
		err    error
		maxRSS int64
	}
	results := make(chan done, len(files))
	start := time.Now()
	for src, path := range files {
		res.Events += counts[src]
		cmd := exec.CommandContext(ctx, binary, "load", "-space", space, "-source", src, "-batch", "500", path)
		cmd.Env = env
		go func() {
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			err := cmd.Run()
			if err != nil {
				err = fmt.Errorf("idgraph load %s: %v\n%s", filepath.Base(path), err, tailOf(errOut.String(), 2000))
			}
			results <- done{out: out.String(), err: err, maxRSS: maxRSS(cmd.ProcessState)}
		}()
	}
	var firstErr error
	for range files {
		d := <-results
		if d.err != nil && firstErr == nil {
			firstErr = d.err
		}
		if m := loadedLine.FindStringSubmatch(d.out); m != nil {
			n, _ := strconv.Atoi(m[1])
			dup, _ := strconv.Atoi(m[2])
			res.Loaded += n + dup
		}
		res.MaxRSS = max(res.MaxRSS, d.maxRSS)
	}
	res.Took = time.Since(start)
	return res, firstErr
}

func tailOf(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
