package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Listing and removing decisions.

// Links lists a space's decisions (see idgraph.LinkService).
func (s *Store) Links(ctx context.Context, space string, about *idgraph.Identifier, after *idgraph.LinkCursor, limit int) ([]idgraph.LinkDecision, error) {
	params := map[string]any{"space": space, "type": nil, "value": nil, "after_at": nil, "after_id": nil, "limit": limit}
	if about != nil {
		params["type"], params["value"] = about.Type, about.Value
	}
	if after != nil {
		params["after_at"], params["after_id"] = after.At, after.ID
	}
	return Read(ctx, s.db, "list links", func(tx neo4j.ManagedTransaction) ([]idgraph.LinkDecision, error) {
		records, err := run(ctx, tx, "list_link_decisions", params)
		if err != nil {
			return nil, err
		}
		return decisionsFromRecords(records)
	})
}

// Unlink removes one decision and records the correction (see
// idgraph.LinkService).
func (s *Store) Unlink(ctx context.Context, sp idgraph.Space, id, actor string) (idgraph.LinkDecision, error) {
	space := sp.ID
	d, err := Write(ctx, s.db, "unlink identifiers", func(tx neo4j.ManagedTransaction) (idgraph.LinkDecision, error) {
		if err := lockSpaceTx(ctx, tx, space); err != nil {
			return idgraph.LinkDecision{}, err
		}
		records, err := run(ctx, tx, "delete_link_decision", map[string]any{"space": space, "id": id})
		if err != nil {
			return idgraph.LinkDecision{}, err
		}
		if len(records) == 0 {
			return idgraph.LinkDecision{}, idgraph.Errorf(idgraph.ENOTFOUND, "no link decision %q in space %s", id, space)
		}
		d, err := decisionFromRecord(records[0])
		if err != nil {
			return d, err
		}
		return d, recordLinkCorrection(ctx, tx, space, idgraph.HistoryUnlinked, d, actor, time.Now().UTC().Truncate(time.Millisecond))
	})
	s.committed(space, err)
	return d, err
}
