package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Always decisions join two profiles through the write path.

// manualSource is the source of the events that carry the links people
// make with always decisions: their evidence in explanations.
var manualSource = idgraph.Source{ID: idgraph.ManualSourceID, Name: "Manual decisions"}

// joinAlways joins the profiles of an always decision's identifiers through
// the write path, under the rules: a manual event (the decision's id as its
// message id) carries both, so the link it makes has evidence like any
// other. A refused join is ECONFLICT naming the rule; the transaction then
// rolls back.
func joinAlways(ctx context.Context, tx neo4j.ManagedTransaction, space idgraph.Space, d idgraph.LinkDecision) (string, error) {
	e := idgraph.Event{
		Type: idgraph.ManualEventType, MessageID: d.ID, Timestamp: d.At, ReceivedAt: d.At,
		Properties: map[string]any{"decision": d.Decision, "actor": d.Actor, "reason": d.Reason},
	}
	b := newBatch([]idgraph.SourceEvents{{Source: manualSource, Events: []idgraph.Event{e}}})
	res, _, err := resolveTx(ctx, writeTx{tx, run}, space, b, [][]idgraph.Identifier{{d.A, d.B}})
	if err != nil {
		return "", err
	}
	if res.Rejections > 0 {
		records, err := run(ctx, tx, "find_event_rejections", map[string]any{"space": space.ID, "message_id": d.ID})
		if err != nil || len(records) == 0 {
			return "", idgraph.Errorf(idgraph.ECONFLICT, "decision: the rules refuse to join %s and %s", d.A, d.B)
		}
		rule, _ := value[string](records[0], "rule")
		detail, _ := value[string](records[0], "detail")
		return "", idgraph.Errorf(idgraph.ECONFLICT, "decision: rule %s refuses to join %s and %s: %s", rule, d.A, d.B, detail)
	}
	owners, err := identifierProfiles(ctx, tx, space.ID, d.A)
	return owners[d.A], err
}
