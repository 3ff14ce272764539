package graph

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// maxComponentRounds bounds label propagation: a component whose diameter
// is larger than this is reported, not looped on forever.
const maxComponentRounds = 10000

// labelComponents recomputes the connected components of a space's
// identifiers over OBSERVED_WITH with Cypher, by min-label propagation: each
// identifier's `component` property ends as the smallest element id of its
// component. Each round is one batched pass over the edges; the number of
// rounds is about the components' diameter. It reports each round.
func (s *Store) labelComponents(ctx context.Context, space string, progress func(idgraph.Progress)) error {
	params := map[string]any{"space": space}
	if _, err := s.db.autocommit(ctx, "label components", cypher.Query("label_components"), params); err != nil {
		return err
	}
	for round := 1; round <= maxComponentRounds; round++ {
		changed, err := s.db.autocommit(ctx, "spread components", cypher.Query("spread_components"), params)
		if err != nil {
			return err
		}
		report(progress, idgraph.Progress{Stage: fmt.Sprintf("components, round %d, labels changed", round), Done: changed})
		if changed == 0 {
			return nil
		}
	}
	return idgraph.Errorf(idgraph.EINTERNAL, "components of space %s did not settle in %d rounds", space, maxComponentRounds)
}

// autocommit runs one statement as an auto-commit transaction (needed for
// CALL ... IN TRANSACTIONS) and returns how many properties it set.
func (db *DB) autocommit(ctx context.Context, op, query string, params map[string]any) (int, error) {
	session := db.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(context.WithoutCancel(ctx))
	result, err := session.Run(ctx, query, params)
	if err != nil {
		return 0, translate(err, "%s", op)
	}
	summary, err := result.Consume(ctx)
	if err != nil {
		return 0, translate(err, "%s", op)
	}
	return summary.Counters().PropertiesSet(), nil
}

func report(progress func(idgraph.Progress), p idgraph.Progress) {
	if progress != nil {
		progress(p)
	}
}
