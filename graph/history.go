package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// History returns how the live profile holding id grew, oldest first:
//
//   - created, at the profile's creation, citing the first sighting among
//     its identifiers (the event that started it);
//   - identifier_added for every member, at its first sighting, with the
//     message and source that first carried it;
//   - merged for every MERGED_INTO edge into the profile and, transitively,
//     into the profiles merged into it earlier, with the merging event.
//
// Entries come in history order (idgraph.SortHistory): at the same time,
// in that order (created, identifiers, merges), then by identifier or merged
// profile id. ENOTFOUND when no profile holds id.
func (s *Store) History(ctx context.Context, space string, id idgraph.Identifier) ([]idgraph.HistoryEntry, error) {
	return Read(ctx, s.db, "history", func(tx neo4j.ManagedTransaction) ([]idgraph.HistoryEntry, error) {
		return historyTx(ctx, tx, space, id)
	})
}

func historyTx(ctx context.Context, tx neo4j.ManagedTransaction, space string, id idgraph.Identifier) ([]idgraph.HistoryEntry, error) {
	params := map[string]any{"space": space, "type": id.Type, "value": id.Value}
	records, err := run(ctx, tx, "find_profile", params)
	if err != nil {
		return nil, err
	}
	ps, err := profilesFromRows(records)
	if err != nil {
		return nil, translate(err, "read profile")
	}
	if len(ps) == 0 {
		return nil, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	entries := growthEntries(ps[0])

	records, err = run(ctx, tx, "find_merges", params)
	if err != nil {
		return nil, err
	}
	for _, rec := range records {
		e, err := mergeEntry(rec)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	idgraph.SortHistory(entries)
	return entries, nil
}

// growthEntries returns the entries a profile's members tell: one
// identifier_added per member at its first sighting, and created, citing
// the earliest of those sightings.
func growthEntries(p idgraph.Profile) []idgraph.HistoryEntry {
	entries := make([]idgraph.HistoryEntry, 0, len(p.Identifiers)+1)
	created := idgraph.HistoryEntry{At: p.CreatedAt, Kind: idgraph.HistoryCreated, ProfileID: p.ID}
	var first *idgraph.Sighting
	for i := range p.Identifiers {
		m := &p.Identifiers[i]
		if first == nil || m.FirstSeen.Before(first.FirstSeen) {
			first = m
		}
		entries = append(entries, idgraph.HistoryEntry{
			At: m.FirstSeen, Kind: idgraph.HistoryIdentifierAdded, ProfileID: p.ID,
			Identifier: &m.Identifier, MessageID: m.FirstMessageID, SourceID: m.FirstSourceID,
		})
	}
	if first != nil {
		created.MessageID, created.SourceID = first.FirstMessageID, first.FirstSourceID
	}
	return append(entries, created)
}

// mergeEntry reads one row of find_merges.
func mergeEntry(rec *neo4j.Record) (idgraph.HistoryEntry, error) {
	e := idgraph.HistoryEntry{Kind: idgraph.HistoryMerged}
	cols := []struct {
		key string
		dst *string
	}{
		{"profile_id", &e.ProfileID}, {"merged_profile_id", &e.MergedProfileID},
		{"message_id", &e.MessageID}, {"source_id", &e.SourceID},
	}
	var err error
	for _, c := range cols {
		if *c.dst, err = value[string](rec, c.key); err != nil {
			return e, err
		}
	}
	at, err := value[time.Time](rec, "at")
	if err != nil {
		return e, err
	}
	e.At = utc(at)
	return e, nil
}
