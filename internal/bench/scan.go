package bench

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
)

// errStopScan, returned by a scanEvents callback, ends the scan early
// without an error.
var errStopScan = errors.New("bench: stop scanning")

// scanEvents reads a workload's NDJSON events in order and calls fn with
// each one, the source its context.app.name names and the line. Blank
// lines and lines that are not valid events are skipped, as idgraph load
// reports and skips them.
func scanEvents(r io.Reader, fn func(e idgraph.Event, source string, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), ingest.MaxLineBytes)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		e, err := idgraph.ParseEvent(line, DefaultStart)
		if err != nil {
			continue
		}
		src, _ := SourceOf(appName(line))
		if err := fn(e, src, line); err != nil {
			if errors.Is(err, errStopScan) {
				return nil
			}
			return err
		}
	}
	return sc.Err()
}
