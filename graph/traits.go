package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Rebuilding a split part's traits from the identify events of its own
// identifiers.

// partTraits rebuilds each part's traits from the identify events that
// carried its identifiers (idgraph.TraitsOf): an event that carried
// identifiers of two parts counts for both.
func partTraits(ctx context.Context, tx neo4j.ManagedTransaction, space string, parts []idgraph.SplitPart) error {
	var rows []map[string]any
	for _, p := range parts {
		rows = append(rows, sightingRows(p.Identifiers)...)
	}
	records, err := run(ctx, tx, "find_identify_events", map[string]any{"space": space, "identifiers": rows})
	if err != nil {
		return err
	}
	byID := map[idgraph.Identifier][]idgraph.StoredEvent{}
	for _, rec := range records {
		id, err := recordIdentifier(rec)
		if err != nil {
			return err
		}
		e, err := identifyEvent(rec)
		if err != nil {
			return err
		}
		byID[id] = append(byID[id], e)
	}
	for i, p := range parts {
		seen := map[string]bool{}
		var events []idgraph.StoredEvent
		for _, s := range p.Identifiers {
			for _, e := range byID[s.Identifier] {
				if key := e.SourceID + "\x00" + e.MessageID; !seen[key] {
					seen[key] = true
					events = append(events, e)
				}
			}
		}
		parts[i].Traits = idgraph.TraitsOf(events)
	}
	return nil
}

func identifyEvent(rec *neo4j.Record) (idgraph.StoredEvent, error) {
	e := idgraph.StoredEvent{Type: idgraph.EventIdentify}
	var err error
	if e.MessageID, err = value[string](rec, "message_id"); err != nil {
		return e, err
	}
	if e.SourceID, err = value[string](rec, "source_id"); err != nil {
		return e, err
	}
	ts, err := value[time.Time](rec, "timestamp")
	if err != nil {
		return e, err
	}
	e.Timestamp = utc(ts)
	traits, err := value[string](rec, "traits")
	if err != nil {
		return e, err
	}
	e.Traits, err = decodeJSONMap(traits)
	return e, err
}
