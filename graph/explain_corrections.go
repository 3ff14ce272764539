package graph

import (
	"context"
	"maps"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// hopDecisions gives each hop whose evidence is a manual event the always
// decision that made it: the decision while it stands, else what its
// manual event recorded (Removed).
func hopDecisions(ctx context.Context, tx neo4j.ManagedTransaction, space string, hops []idgraph.Hop) error {
	var ids []string
	for _, h := range hops {
		if id := h.ManualEventID(); id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	records, err := run(ctx, tx, "find_manual_decisions", map[string]any{"space": space, "source_id": idgraph.ManualSourceID, "ids": ids})
	if err != nil {
		return err
	}
	found := map[string]idgraph.DecisionRef{}
	for _, rec := range records {
		d, err := manualDecision(rec)
		if err != nil {
			return err
		}
		found[d.ID] = d
	}
	for i, h := range hops {
		d, ok := found[h.ManualEventID()]
		if !ok {
			continue
		}
		if d.Removed {
			d.A, d.B = h.From, h.To
			if d.B.Less(d.A) {
				d.A, d.B = d.B, d.A
			}
		}
		hops[i].Decision = &d
	}
	return nil
}

// manualDecision reads one row of find_manual_decisions.
func manualDecision(rec *neo4j.Record) (idgraph.DecisionRef, error) {
	d, err := decisionFromRecord(rec)
	if err != nil {
		return idgraph.DecisionRef{}, err
	}
	standing, err := value[bool](rec, "standing")
	if err != nil || standing {
		return idgraph.DecisionRef{LinkDecision: d}, err
	}
	text, err := value[string](rec, "properties")
	if err != nil {
		return idgraph.DecisionRef{}, err
	}
	props, err := decodeJSONMap(text)
	if err != nil {
		return idgraph.DecisionRef{}, idgraph.WrapError(idgraph.EINTERNAL, err, "manual event %s: read its properties", d.ID)
	}
	d.Decision = idgraph.DecisionAlways
	for key, dst := range map[string]*string{"decision": &d.Decision, "actor": &d.Actor, "reason": &d.Reason} {
		if s, ok := props[key].(string); ok {
			*dst = s
		}
	}
	return idgraph.DecisionRef{LinkDecision: d, Removed: true}, nil
}

// explainApart adds to the explanation of two identifiers in different
// profiles the corrections that keep or put them apart: the never
// decisions between their profiles and the links cut between them, both
// read by find_explanation (its row rec), and the decisions the
// manual:never rejections name, for which it reads find_apart_decisions
// (those decisions and the ones between the profiles, each once) only
// when a rejection names one.
func explainApart(ctx context.Context, tx neo4j.ManagedTransaction, params map[string]any, rec *neo4j.Record, x *idgraph.Explanation) error {
	ids := []string{}
	for _, r := range x.Rejections {
		if id := r.DecisionID(); id != "" {
			ids = append(ids, id)
		}
	}
	ds, err := readNested(rec, "decisions", decisionFromRecord)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		withIDs := maps.Clone(params)
		withIDs["ids"] = ids
		records, err := run(ctx, tx, "find_apart_decisions", withIDs)
		if err != nil {
			return err
		}
		if ds, err = decisionsFromRecords(records); err != nil {
			return err
		}
	}
	for _, d := range ds {
		x.Decisions = append(x.Decisions, idgraph.DecisionRef{LinkDecision: d})
	}
	if x.Cuts, err = readNested(rec, "cuts", cutFromRecord); err != nil {
		return err
	}
	if len(x.Cuts) == 0 {
		x.Cuts = nil
	}
	return nil
}

// cutFromRecord reads one cut of find_explanation's cuts column.
func cutFromRecord(rec *neo4j.Record) (idgraph.CutRef, error) {
	var c idgraph.CutRef
	var err error
	if c.From, err = prefixedIdentifier(rec, "from_"); err != nil {
		return c, err
	}
	if c.To, err = prefixedIdentifier(rec, "to_"); err != nil {
		return c, err
	}
	if err = readStrings(rec, map[string]*string{"actor": &c.Actor, "reason": &c.Reason, "correction_id": &c.CorrectionID}); err != nil {
		return c, err
	}
	n, err := value[int64](rec, "count")
	if err != nil {
		return c, err
	}
	c.Count = int(n)
	c.At, err = readTime(rec, "at")
	return c, err
}
