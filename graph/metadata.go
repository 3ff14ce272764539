package graph

import (
	"context"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// Metadata returns when the live profile holding id was created and last
// updated, its merge count, how many identifiers it holds and its first and
// last events (nil when it has none). ENOTFOUND when no profile holds id.
func (s *Store) Metadata(ctx context.Context, space string, id idgraph.Identifier) (idgraph.Metadata, error) {
	var m idgraph.Metadata
	res, err := s.db.ReadQuery(ctx, "find metadata", cypher.Query("find_metadata"),
		map[string]any{"space": space, "type": id.Type, "value": id.Value})
	if err != nil {
		return m, err
	}
	if len(res.Records) == 0 {
		return m, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	rec := res.Records[0]
	if m.ProfileID, err = value[string](rec, "profile_id"); err != nil {
		return m, err
	}
	created, err := value[time.Time](rec, "created_at")
	if err != nil {
		return m, err
	}
	updated, err := value[time.Time](rec, "updated_at")
	if err != nil {
		return m, err
	}
	m.CreatedAt, m.UpdatedAt = utc(created), utc(updated)
	merges, err := value[int64](rec, "merge_count")
	if err != nil {
		return m, err
	}
	ids, err := value[int64](rec, "identifiers")
	if err != nil {
		return m, err
	}
	m.MergeCount, m.Identifiers = int(merges), int(ids)
	if m.FirstEvent, err = eventRef(rec, "first_"); err != nil {
		return m, err
	}
	if m.LastEvent, err = eventRef(rec, "last_"); err != nil {
		return m, err
	}
	return m, nil
}
