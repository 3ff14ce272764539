package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Remove takes one identifier out of the profile holding profile, in one
// write transaction taking the write path's locks: its links are cut as
// evidence (CUT) and, if it bridged parts of the profile, those become
// profiles of their own (idgraph.PlanRemoval); with suppress its value
// also goes on the suppression list and its node is deleted, so later
// events cannot bring it back. ENOTFOUND when no profile holds profile;
// ECONFLICT when id is not in it; EINVALID when it is the profile's only
// identifier.
func (s *Store) Remove(ctx context.Context, space idgraph.Space, profile, id idgraph.Identifier, reason, actor string, suppress bool) (idgraph.Removal, error) {
	space, err := s.underActiveRules(ctx, space)
	if err != nil {
		return idgraph.Removal{}, err
	}
	at := time.Now().UTC().Truncate(time.Millisecond)
	rm, err := Write(ctx, s.db, "remove identifier", func(tx neo4j.ManagedTransaction) (idgraph.Removal, error) {
		rm := idgraph.Removal{Identifier: id, Suppressed: suppress}
		if err := lockSpaceTx(ctx, tx, space.ID); err != nil {
			return rm, err
		}
		in, err := readSplitInput(ctx, tx, space.ID, profile, nil)
		if err != nil {
			return rm, err
		}
		if rm.SplitPlan, err = idgraph.PlanRemoval(in, id, reason, space.Rules, actor, at, idgraph.NewProfileID); err != nil {
			return rm, err
		}
		if err := applySplit(ctx, tx, space.ID, &rm.SplitPlan, idgraph.HistoryIdentifierRemoved); err != nil {
			return rm, err
		}
		if suppress {
			if _, err = run(ctx, tx, "suppress_identifier", map[string]any{"space": space.ID, "type": id.Type, "value": id.Value}); err != nil {
				return rm, err
			}
		}
		return rm, appendChanges(ctx, writeTx{tx, run}, space.ID, []idgraph.Change{idgraph.RemovalChange(rm)})
	})
	s.committed(space.ID, err)
	return rm, err
}
