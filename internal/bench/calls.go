package bench

import (
	"bytes"
	"context"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
)

// Call is one writer call: events of one source, in the order sent.
type Call struct {
	Source idgraph.Source
	Events []idgraph.Event
}

// SplitCalls cuts events, event i from source sources[i], into calls of at
// most size events of one source, each source's events in order, the calls
// in the order their first events come.
func SplitCalls(events []idgraph.Event, sources []string, size int) []Call {
	var calls []Call
	open := map[string]int{}
	for i, e := range events {
		k, ok := open[sources[i]]
		if !ok || len(calls[k].Events) == size {
			k = len(calls)
			open[sources[i]] = k
			calls = append(calls, Call{Source: idgraph.Source{ID: sources[i]}})
		}
		calls[k].Events = append(calls[k].Events, e)
	}
	return calls
}

// WriteCalls sends calls through w into space from clients goroutines,
// each taking the next call once its last is answered, and returns the
// first error.
func WriteCalls(ctx context.Context, w *ingest.Writer, space idgraph.Space, clients int, calls []Call) error {
	jobs := make(chan Call)
	errs := make(chan error, clients)
	for range clients {
		go func() {
			for c := range jobs {
				if _, err := w.Write(ctx, space, c.Source, c.Events); err != nil {
					errs <- err
					for range jobs { // drain, so that the sender never blocks
					}
					return
				}
			}
			errs <- nil
		}()
	}
	for _, c := range calls {
		jobs <- c
	}
	close(jobs)
	var first error
	for range clients {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// GeneratedEvents generates n events of every noise kind from seed, as the
// Go benchmarks and tests take them, and parses them: each event's line,
// the event, and its source.
func GeneratedEvents(n int, seed uint64) (lines [][]byte, events []idgraph.Event, sources []string, err error) {
	kinds, err := ParseNoise("all")
	if err != nil {
		return nil, nil, nil, err
	}
	var ev, truth bytes.Buffer
	if _, err := Generate(Workload{Events: n, Seed: seed, Noise: kinds}, &ev, &truth); err != nil {
		return nil, nil, nil, err
	}
	lines = bytes.Split(bytes.TrimSuffix(ev.Bytes(), []byte("\n")), []byte("\n"))
	events = make([]idgraph.Event, len(lines))
	sources = make([]string, len(lines))
	for i, l := range lines {
		if events[i], err = idgraph.ParseEvent(l, DefaultStart); err != nil {
			return nil, nil, nil, err
		}
		app, _ := events[i].Context["app"].(map[string]any)
		name, _ := app["name"].(string)
		sources[i], _ = SourceOf(name)
	}
	return lines, events, sources, nil
}
