package graph

import (
	"context"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// A space's logs (idgraph.LogService): each page is one indexed walk
// backwards in time from the cursor, reading one entry more than the page
// holds to learn whether another page follows.

// Merges lists a space's merges (see idgraph.LogService).
func (s *Store) Merges(ctx context.Context, space string, q idgraph.LogQuery) (idgraph.LogPage[idgraph.MergeEntry], error) {
	if err := q.Validate(); err != nil {
		return idgraph.LogPage[idgraph.MergeEntry]{}, err
	}
	return readLog(ctx, s.db, "list_merges", logParams(space, q), q, mergeEntryFromRecord)
}

// Rejections lists the links the rules refused in a space (see
// idgraph.LogService).
func (s *Store) Rejections(ctx context.Context, space string, q idgraph.RejectionQuery) (idgraph.LogPage[idgraph.RejectionEntry], error) {
	if err := q.Validate(); err != nil {
		return idgraph.LogPage[idgraph.RejectionEntry]{}, err
	}
	params, query := logParams(space, q.LogQuery), "list_rejections"
	params["type"] = nullString(q.Type)
	if q.Rule != "" {
		params["rule"], query = q.Rule, "list_rule_rejections"
	}
	return readLog(ctx, s.db, query, params, q.LogQuery, rejectionEntryFromRecord)
}

// Corrections lists the corrections people made in a space (see
// idgraph.LogService).
func (s *Store) Corrections(ctx context.Context, space string, q idgraph.CorrectionQuery) (idgraph.LogPage[idgraph.Correction], error) {
	if err := q.Validate(); err != nil {
		return idgraph.LogPage[idgraph.Correction]{}, err
	}
	params := logParams(space, q.LogQuery)
	params["kind"], params["actor"] = nullString(q.Kind), nullString(q.Actor)
	return readLog(ctx, s.db, "list_corrections", params, q.LogQuery, correctionFromRecord)
}

// logParams are the parameters every log query takes: the space, the
// bounds of the walk (in UTC: the driver sends a time in the Local zone by
// a name Neo4j refuses) and one entry more than the page holds.
func logParams(space string, q idgraph.LogQuery) map[string]any {
	below := q.Below()
	return map[string]any{
		"space": space, "since": q.Since.UTC(), "below_at": below.At.UTC(), "below_key": below.Key,
		"limit": int64(q.Size() + 1),
	}
}

// readLog runs the log query name and reads its rows with read, which
// returns each entry and its position; the page keeps q.Size() of them and
// the position of the last when more follow.
func readLog[T any](ctx context.Context, db *DB, name string, params map[string]any, q idgraph.LogQuery, read func(*neo4j.Record) (T, idgraph.LogCursor, error)) (idgraph.LogPage[T], error) {
	page := idgraph.LogPage[T]{Entries: []T{}}
	res, err := db.ReadQuery(ctx, name, cypher.Query(name), params)
	if err != nil {
		return page, err
	}
	records, more := res.Records, len(res.Records) > q.Size()
	if more {
		records = records[:q.Size()]
	}
	var last idgraph.LogCursor
	for i, rec := range records {
		var entry T
		if entry, last, err = read(rec); err != nil {
			return page, translate(err, "%s: row %d", name, i)
		}
		page.Entries = append(page.Entries, entry)
	}
	if more {
		page.Next = &last
	}
	return page, nil
}

// mergeEntryFromRecord reads one row of list_merges.
func mergeEntryFromRecord(rec *neo4j.Record) (idgraph.MergeEntry, idgraph.LogCursor, error) {
	var m idgraph.MergeEntry
	err := readStrings(rec, map[string]*string{
		"profile_id": &m.ProfileID, "merged_profile_id": &m.MergedProfileID,
		"message_id": &m.MessageID, "source_id": &m.SourceID,
	})
	if err == nil {
		m.At, err = readTime(rec, "at")
	}
	if err == nil {
		m.Event, err = eventRef(rec, "event_")
	}
	if err == nil {
		m.Identifiers, err = identifierList(rec, "identifiers")
	}
	return m, idgraph.LogCursor{At: m.At, Key: m.MergedProfileID}, err
}

// rejectionEntryFromRecord reads one row of list_rejections or
// list_rule_rejections.
func rejectionEntryFromRecord(rec *neo4j.Record) (idgraph.RejectionEntry, idgraph.LogCursor, error) {
	var r idgraph.RejectionEntry
	var key string
	var err error
	if r.RejectionRef, err = rejectionRef(rec); err != nil {
		return r, idgraph.LogCursor{}, err
	}
	err = readStrings(rec, map[string]*string{"key": &key, "last_message_id": &r.LastMessageID})
	if err == nil {
		r.LastAt, err = readTime(rec, "last_at")
	}
	if err == nil {
		r.LiftedAt, err = readTime(rec, "lifted_at")
	}
	return r, idgraph.LogCursor{At: r.At, Key: key}, err
}

// correctionFromRecord reads one row of list_corrections.
func correctionFromRecord(rec *neo4j.Record) (idgraph.Correction, idgraph.LogCursor, error) {
	var c idgraph.Correction
	var detail string
	err := readStrings(rec, map[string]*string{
		"id": &c.ID, "kind": &c.Kind, "actor": &c.Actor, "reason": &c.Reason,
		"profile_id": &c.ProfileID, "detail": &detail,
	})
	if err == nil {
		c.At, err = readTime(rec, "at")
	}
	if err == nil {
		c.ProfileIDs, err = stringList(rec, "profile_ids")
		slices.Sort(c.ProfileIDs)
	}
	if err == nil {
		if c.Detail, err = decodeCorrectionDetail(detail); err != nil {
			err = idgraph.WrapError(idgraph.EINTERNAL, err, "correction %s: read its detail", c.ID)
		}
	}
	return c, idgraph.LogCursor{At: c.At, Key: c.ID}, err
}

// identifierList reads a column of "type:value" strings as identifiers, in
// identifier order; null is none.
func identifierList(rec *neo4j.Record, key string) ([]idgraph.Identifier, error) {
	ss, err := stringList(rec, key)
	if err != nil {
		return nil, err
	}
	ids := make([]idgraph.Identifier, len(ss))
	for i, s := range ss {
		if ids[i], err = idgraph.ParseIdentifier(s); err != nil {
			return nil, idgraph.WrapError(idgraph.EINTERNAL, err, "column %s", key)
		}
	}
	slices.SortFunc(ids, func(a, b idgraph.Identifier) int {
		if a.Less(b) {
			return -1
		}
		if b.Less(a) {
			return 1
		}
		return 0
	})
	return ids, nil
}
