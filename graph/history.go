package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// History returns how the live profile holding id grew and was corrected,
// oldest first, told from its memberships, merges and corrections and
// those of the profiles merged into it, transitively:
//
//   - created, at the profile's creation, citing the first sighting that
//     started it, or for a part a split made, the split;
//   - identifier_added for every member and former member, when it joined:
//     at its first sighting (with the message and source that first
//     carried it), or when a split moved it in (citing the split);
//   - identifier_left for every identifier a correction moved out, with the
//     correction and the profile it went to;
//   - merged for every MERGED_INTO edge, with the merging event;
//   - split, linked, unlinked and identifier_removed for every correction,
//     with its actor, reason and evidence (idgraph.CorrectionDetail).
//
// Entries come in history order (idgraph.CompactHistory), one per
// position. ENOTFOUND when no profile holds id.
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
	corrections, err := runRows(ctx, tx, "find_corrections", params, correctionEntry)
	if err != nil {
		return nil, err
	}
	members, err := runRows(ctx, tx, "find_memberships", params, membershipFromRecord)
	if err != nil {
		return nil, err
	}
	merges, err := runRows(ctx, tx, "find_merges", params, mergeEntry)
	if err != nil {
		return nil, err
	}
	entries := membershipEntries(ps[0], members, corrections)
	entries = append(append(entries, corrections...), merges...)
	return idgraph.CompactHistory(entries), nil
}

// membership is one row of find_memberships: an identifier in a profile of
// the history, now (LeftAt zero) or until a correction moved it out.
type membership struct {
	idgraph.Sighting
	ProfileID string
	// Since is when a split moved it into the profile; zero when it joined
	// with its first sighting.
	Since        time.Time
	LeftAt       time.Time
	CorrectionID string
}

func membershipFromRecord(rec *neo4j.Record) (membership, error) {
	var m membership
	var err error
	if m.Identifier, err = recordIdentifier(rec); err != nil {
		return m, err
	}
	err = readStrings(rec, map[string]*string{
		"profile_id": &m.ProfileID, "correction_id": &m.CorrectionID,
		"first_source_id": &m.FirstSourceID, "first_message_id": &m.FirstMessageID,
	})
	for key, dst := range map[string]*time.Time{"since": &m.Since, "left_at": &m.LeftAt, "first_seen": &m.FirstSeen} {
		if err == nil {
			*dst, err = readTime(rec, key)
		}
	}
	return m, err
}

// membershipEntries returns the entries the memberships tell: for each, the
// identifier joining its profile and, for a former member, leaving it; and
// the profile's creation, citing the correction that made it or else the
// earliest first sighting among its members, former ones too.
func membershipEntries(p idgraph.Profile, members []membership, corrections []idgraph.HistoryEntry) []idgraph.HistoryEntry {
	entries := make([]idgraph.HistoryEntry, 0, len(members)+1)
	created := idgraph.HistoryEntry{At: p.CreatedAt, Kind: idgraph.HistoryCreated, ProfileID: p.ID}
	var first *idgraph.HistoryEntry
	for _, m := range members {
		added := idgraph.HistoryEntry{At: m.FirstSeen, Kind: idgraph.HistoryIdentifierAdded, ProfileID: m.ProfileID, Identifier: &m.Identifier}
		if !m.Since.IsZero() {
			added.At = m.Since
		}
		if c := findCorrection(corrections, func(c idgraph.HistoryEntry) bool {
			return c.At.Equal(added.At) && c.Detail.Moved(m.Identifier, m.ProfileID)
		}); c != nil {
			cite(&added, *c)
		} else if added.At.Equal(m.FirstSeen) {
			added.MessageID, added.SourceID = m.FirstMessageID, m.FirstSourceID
			if first == nil || added.At.Before(first.At) || added.At.Equal(first.At) && m.Identifier.Less(*first.Identifier) {
				first = &added
			}
		}
		entries = append(entries, added)
		if !m.LeftAt.IsZero() {
			left := idgraph.HistoryEntry{At: m.LeftAt, Kind: idgraph.HistoryIdentifierLeft, ProfileID: m.ProfileID, Identifier: &m.Identifier, CorrectionID: m.CorrectionID}
			if c := findCorrection(corrections, func(c idgraph.HistoryEntry) bool { return c.CorrectionID == m.CorrectionID }); c != nil {
				cite(&left, *c)
				left.ToProfileID = c.Detail.Destination(m.Identifier)
			}
			entries = append(entries, left)
		}
	}
	if c := findCorrection(corrections, func(c idgraph.HistoryEntry) bool { return c.Detail.Created(p.ID) }); c != nil {
		cite(&created, *c)
	} else if first != nil {
		created.MessageID, created.SourceID = first.MessageID, first.SourceID
	}
	return append(entries, created)
}

func findCorrection(corrections []idgraph.HistoryEntry, match func(idgraph.HistoryEntry) bool) *idgraph.HistoryEntry {
	for i := range corrections {
		if match(corrections[i]) {
			return &corrections[i]
		}
	}
	return nil
}

// cite makes e name the correction c as its cause.
func cite(e *idgraph.HistoryEntry, c idgraph.HistoryEntry) {
	e.CorrectionID, e.Actor, e.Reason = c.CorrectionID, c.Actor, c.Reason
}

// mergeEntry reads one row of find_merges.
func mergeEntry(rec *neo4j.Record) (idgraph.HistoryEntry, error) {
	e := idgraph.HistoryEntry{Kind: idgraph.HistoryMerged}
	err := readStrings(rec, map[string]*string{
		"profile_id": &e.ProfileID, "merged_profile_id": &e.MergedProfileID,
		"message_id": &e.MessageID, "source_id": &e.SourceID,
	})
	if err == nil {
		e.At, err = readTime(rec, "at")
	}
	return e, err
}

// readStrings reads string columns of rec into their destinations; null
// reads as "".
func readStrings(rec *neo4j.Record, cols map[string]*string) error {
	for key, dst := range cols {
		v, err := value[string](rec, key)
		if err != nil {
			return err
		}
		*dst = v
	}
	return nil
}

// readTime reads a datetime column in UTC; null reads as the zero time.
func readTime(rec *neo4j.Record, key string) (time.Time, error) {
	t, err := value[time.Time](rec, key)
	return utc(t), err
}
