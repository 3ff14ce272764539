package graph

import (
	"context"

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
