package graph

import (
	"context"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// Locate finds a profile by its id (see idgraph.ProfileService). ENOTFOUND
// when the space has no such profile, or it has no member left.
func (s *Store) Locate(ctx context.Context, space, profileID string) (idgraph.ProfileLocation, error) {
	res, err := s.db.ReadQuery(ctx, "locate profile", cypher.Query("find_profile_by_id"), map[string]any{"space": space, "id": profileID})
	if err != nil {
		return idgraph.ProfileLocation{}, err
	}
	if len(res.Records) == 0 {
		return idgraph.ProfileLocation{}, idgraph.Errorf(idgraph.ENOTFOUND, "no profile %s", profileID)
	}
	rec := res.Records[0]
	var loc idgraph.ProfileLocation
	if loc.ProfileID, err = value[string](rec, "profile_id"); err != nil {
		return loc, err
	}
	if loc.Merged, err = value[bool](rec, "merged"); err != nil {
		return loc, err
	}
	loc.Member, err = recordIdentifier(rec)
	return loc, err
}
