package graph

import (
	"context"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// Profile returns the live profile holding id, with its identifiers and
// traits. ENOTFOUND when no profile holds it; ECONFLICT when id is shared,
// naming the profiles it was seen with.
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
	if shared, err := value[bool](res.Records[0], "shared"); err != nil || shared {
		if err == nil {
			err = s.sharedLookup(ctx, space, id)
		}
		return idgraph.Profile{}, err
	}
	p := ps[0]
	p.Space = space
	return p, nil
}
