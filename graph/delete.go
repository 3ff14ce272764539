package graph

import (
	"context"
	"strings"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// Delete removes the profile holding id (identifiers, edges, events,
// membership, merge history) and suppresses its identifier values so later
// events cannot bring them back. ENOTFOUND when no profile holds id.
func (s *Store) Delete(ctx context.Context, space string, id idgraph.Identifier) (idgraph.Deletion, error) {
	res, err := s.db.Query(ctx, "delete profile", cypher.Query("delete_profile"),
		map[string]any{"space": space, "type": id.Type, "value": id.Value})
	if err != nil {
		return idgraph.Deletion{}, err
	}
	if len(res.Records) == 0 {
		return idgraph.Deletion{}, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	rec := res.Records[0]
	var d idgraph.Deletion
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
