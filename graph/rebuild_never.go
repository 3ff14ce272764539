package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// rebuildActor is who cuts links when a rebuild keeps never decisions.
const rebuildActor = "rebuild"

// keepNeverApart cuts, for every never decision whose two identifiers lie
// in one labelled component, the minimum cut between them
// (idgraph.MinCut), marked as cut by the rebuild for that decision, and
// returns how many links it cut: the components must then be labelled
// again. A graph written only through idgraph has no such pair (every join
// honours the decisions); this repairs one that was edited by hand.
func (s *Store) keepNeverApart(ctx context.Context, space string) (int, error) {
	cut, err := Write(ctx, s.db, "keep never apart", func(tx neo4j.ManagedTransaction) (int, error) {
		if err := lockSpaceTx(ctx, tx, space); err != nil {
			return 0, err
		}
		records, err := run(ctx, tx, "find_never_joined", map[string]any{"space": space, "max": maxViolations})
		if err != nil {
			return 0, err
		}
		at := time.Now().UTC().Truncate(time.Millisecond)
		cut := 0
		for _, rec := range records {
			d, err := decisionFromRecord(rec)
			if err != nil {
				return 0, err
			}
			component, err := value[string](rec, "component")
			if err != nil {
				return 0, err
			}
			n, err := cutNever(ctx, tx, space, d, component, at)
			if err != nil {
				return 0, err
			}
			cut += n
		}
		return cut, nil
	})
	s.committed(space, err)
	return cut, err
}

// cutNever cuts the minimum cut between d's identifiers within their
// component; nothing when an earlier cut of this pass already parted them.
func cutNever(ctx context.Context, tx neo4j.ManagedTransaction, space string, d idgraph.LinkDecision, component string, at time.Time) (int, error) {
	records, err := run(ctx, tx, "find_component_links", map[string]any{"space": space, "component": component})
	if err != nil {
		return 0, err
	}
	edges := make([]idgraph.Edge, len(records))
	for i, rec := range records {
		if edges[i], err = edgeFromRecord(rec); err != nil {
			return 0, err
		}
	}
	links, err := idgraph.MinCut(edges, d.A, d.B)
	if err != nil || len(links) == 0 {
		return 0, err
	}
	if err := cutEdges(ctx, tx, space, links, at, rebuildActor, fmt.Sprintf("never decision %s", d.ID), idgraph.NewCorrectionID()); err != nil {
		return 0, err
	}
	return len(links), nil
}
