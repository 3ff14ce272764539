package ingest

import "github.com/idgraph/idgraph"

// part is a run of one call's events written in one batch.
type part struct {
	events []idgraph.Event
	ids    int // the identifiers rules extract from events
}

// parts cuts a call's events, in order, into runs of at most MaxBatch
// events and MaxIdentifiers identifiers (an event carrying more is a run
// of its own), so that no call puts more than that into one transaction.
// Nearly every call is one part.
func (w *Writer) parts(rules idgraph.Rules, events []idgraph.Event) []part {
	var out []part
	start, ids := 0, 0
	for i, e := range events {
		found, _ := rules.Extract(e)
		n := len(found)
		if i > start && (i-start == w.opts.MaxBatch || ids+n > w.opts.MaxIdentifiers) {
			out = append(out, part{events[start:i], ids})
			start, ids = i, 0
		}
		ids += n
	}
	return append(out, part{events[start:], ids})
}
