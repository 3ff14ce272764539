package ingest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/idgraph/idgraph"
)

// MaxLineBytes bounds one NDJSON line: Segment's 32 KB per event, with room.
const MaxLineBytes = 1 << 20

// LineError is a bad line of an NDJSON stream.
type LineError struct {
	Line int
	Err  error
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// LoadReport counts what a Load did.
type LoadReport struct {
	Lines      int
	Loaded     int
	Duplicates int
	// Invalid counts lines that are not valid events (too long, not JSON,
	// or refused by validation); they are not written.
	Invalid int
	// Rejections counts links the identity rules refused (REJECTED).
	Rejections int
	Merges     int
	Errors     []LineError
}

// LoadOptions tune a Load.
type LoadOptions struct {
	// BatchSize is how many events go to the store at once (default 500).
	BatchSize int
	// Progress, when set, is called after each batch with the report so far.
	Progress func(LoadReport)
	// MaxErrors bounds the line errors kept in the report (default 100);
	// every bad line is still counted.
	MaxErrors int
}

// Load streams NDJSON events (one Segment event per line; blank lines are
// skipped) from r into store, in batches, in order. A bad line is reported
// with its number and does not stop the rest; a store error stops the load
// and is returned with the report so far.
func Load(ctx context.Context, store idgraph.ResolutionService, space idgraph.Space, source idgraph.Source, r io.Reader, opts LoadOptions) (LoadReport, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.MaxErrors <= 0 {
		opts.MaxErrors = 100
	}
	var rep LoadReport
	batch := make([]idgraph.Event, 0, opts.BatchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := store.Resolve(ctx, space, source, batch)
		if err != nil {
			return err
		}
		rep.Loaded += res.Loaded
		rep.Duplicates += res.Duplicates
		rep.Rejections += res.Rejections
		rep.Merges += res.Merges
		batch = batch[:0]
		if opts.Progress != nil {
			opts.Progress(rep)
		}
		return nil
	}
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		line, tooLong, err := readLine(br, MaxLineBytes)
		if err == io.EOF && len(line) == 0 && !tooLong {
			break
		}
		if err != nil && err != io.EOF {
			return rep, err
		}
		rep.Lines++
		bad := func(err error) {
			rep.Invalid++
			if len(rep.Errors) < opts.MaxErrors {
				rep.Errors = append(rep.Errors, LineError{Line: rep.Lines, Err: err})
			}
		}
		line = bytes.TrimSpace(line)
		switch {
		case tooLong:
			bad(idgraph.Errorf(idgraph.EINVALID, "longer than %d bytes", MaxLineBytes))
		case len(line) == 0:
		default:
			e, perr := space.Rules.ParseEvent("", line, time.Now().UTC())
			if perr != nil {
				bad(perr)
				break
			}
			batch = append(batch, e)
			if len(batch) == opts.BatchSize {
				if err := flush(); err != nil {
					return rep, err
				}
			}
		}
		if err == io.EOF {
			break
		}
	}
	return rep, flush()
}

// readLine reads one line without its newline. A line longer than max is
// read to its end and dropped: tooLong reports it. err is io.EOF after the
// last line.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max+1 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil:
			return bytes.TrimSuffix(line, []byte("\n")), tooLong, nil
		default:
			return line, tooLong, err
		}
	}
}
