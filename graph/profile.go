package graph

import (
	"context"
	"strings"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// Profile returns the live profile holding id, with its identifiers and
// traits. ENOTFOUND when no profile holds it.
func (s *Store) Profile(ctx context.Context, space string, id idgraph.Identifier) (idgraph.Profile, error) {
	res, err := s.db.ReadQuery(ctx, "find profile", cypher.Query("find_profile"),
		map[string]any{"space": space, "type": id.Type, "value": id.Value})
	if err != nil {
		return idgraph.Profile{}, err
	}
	ps, err := profilesFromRows(res.Records)
	if err != nil {
		return idgraph.Profile{}, translate(err, "read profile")
	}
	if len(ps) == 0 {
		return idgraph.Profile{}, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	p := ps[0]
	p.Space = space
	return p, nil
}

// Delete removes the profile holding id and suppresses its identifier values.
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
