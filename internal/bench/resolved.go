package bench

import (
	"context"
	"io"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/memstore"
)

// Resolved is the partition idgraph's rules make of the events applied in
// file order, in this process, through the in-memory store (memstore, the
// store's batch flow around the pure idgraph.Resolver), in batches of up to
// ingest.DefaultMaxBatch consecutive events of one source as a sequential
// load would send them. No database, no concurrency: it separates what the rules do from
// what concurrent ingestion does. Replays (a message id seen before from
// the same source) are skipped as the store skips them.
func Resolved(r io.Reader, rules idgraph.Rules) (*Partition, error) {
	ps, err := ResolvedEach(r, rules)
	if err != nil {
		return nil, err
	}
	return ps[0], nil
}

// ResolvedEach is Resolved under each of the rules given, reading the
// events once: one partition per rules, in order.
func ResolvedEach(r io.Reader, rules ...idgraph.Rules) ([]*Partition, error) {
	type sourced struct {
		e   idgraph.Event
		src string
	}
	var events []sourced
	err := scanEvents(r, func(e idgraph.Event, src string, _ []byte) error {
		events = append(events, sourced{e, src})
		return nil
	})
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	out := make([]*Partition, len(rules))
	for k, rs := range rules {
		store := memstore.New()
		space := idgraph.Space{ID: "resolved", Rules: rs}
		var source idgraph.Source
		var batch []idgraph.Event
		flush := func() error {
			_, err := store.Resolve(ctx, space, source, batch)
			batch = batch[:0]
			return err
		}
		for _, se := range events {
			if se.src != source.ID || len(batch) == ingest.DefaultMaxBatch {
				if err := flush(); err != nil {
					return nil, err
				}
				source = idgraph.Source{ID: se.src}
			}
			batch = append(batch, se.e)
		}
		if err := flush(); err != nil {
			return nil, err
		}
		p := NewPartition()
		for id, owner := range store.Memberships(space.ID) {
			p.Add(id.String(), owner)
		}
		out[k] = p
	}
	return out, nil
}
