package graph

import (
	"context"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Delete removes the profile holding id (identifiers, edges, events,
// membership, merge history), acting for actor, suppresses its identifier
// values so later events cannot bring them back, and records the delete in
// the feed, all in one transaction. ENOTFOUND when no profile holds id.
func (s *Store) Delete(ctx context.Context, space string, id idgraph.Identifier, actor string) (idgraph.Deletion, error) {
	d, err := Write(ctx, s.db, "delete profile", func(tx neo4j.ManagedTransaction) (idgraph.Deletion, error) {
		if err := lockSpaceTx(ctx, tx, space); err != nil {
			return idgraph.Deletion{}, err
		}
		records, err := run(ctx, tx, "delete_profile", map[string]any{"space": space, "type": id.Type, "value": id.Value})
		if err != nil {
			return idgraph.Deletion{}, err
		}
		if len(records) == 0 {
			return idgraph.Deletion{}, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
		}
		d, err := deletionFromRecord(records[0])
		if err != nil {
			return d, err
		}
		return d, appendChanges(ctx, writeTx{tx, run}, space, []idgraph.Change{idgraph.DeletionChange(d, actor)})
	})
	s.committed(space, err)
	return d, err
}

func deletionFromRecord(rec *neo4j.Record) (idgraph.Deletion, error) {
	var d idgraph.Deletion
	var err error
	if d.ProfileID, err = value[string](rec, "profile_id"); err != nil {
		return d, err
	}
	ids, err := value[[]any](rec, "identifiers")
	if err != nil {
		return d, err
	}
	for _, v := range ids {
		s, _ := v.(string)
		t, val, _ := strings.Cut(s, ":")
		d.Identifiers = append(d.Identifiers, idgraph.Identifier{Type: t, Value: val})
	}
	events, err := value[int64](rec, "events")
	if err != nil {
		return d, err
	}
	d.Events, d.Suppressed = int(events), len(d.Identifiers)
	return d, nil
}
