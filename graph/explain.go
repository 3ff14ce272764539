package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Explain says why from and to share a profile or why they do not, reading
// everything in one transaction so the answer is about one state of the
// graph, and in one statement (find_explanation), with a second only for
// the decisions a manual event on the path or a manual:never rejection
// names:
//
//   - together: the shortest chain of OBSERVED_WITH edges between them inside
//     their profile (one bounded shortestPath query), each hop with its
//     count, sources, and first and last events, and the always decision
//     whose manual event is its evidence, if one is;
//   - apart: both profile ids and every standing REJECTED link between a
//     member of one and a member of the other, either direction, with the
//     rule, detail, time and event; none means they were never seen together.
//     Also the never decisions between the two profiles (and those the
//     manual:never rejections name) and the links cut between them.
//   - either way, the marks of from and to if they are shared.
//
// ENOTFOUND when no profile holds from or to.
func (s *Store) Explain(ctx context.Context, space string, from, to idgraph.Identifier) (idgraph.Explanation, error) {
	return Read(ctx, s.db, "explain", func(tx neo4j.ManagedTransaction) (idgraph.Explanation, error) {
		return explainTx(ctx, tx, space, from, to)
	})
}

func explainTx(ctx context.Context, tx neo4j.ManagedTransaction, space string, from, to idgraph.Identifier) (idgraph.Explanation, error) {
	x := idgraph.Explanation{From: from, To: to}
	params := explainParams(space, from, to)
	records, err := run(ctx, tx, "find_explanation", params)
	if err != nil {
		return x, err
	}
	if len(records) != 1 {
		return x, idgraph.Errorf(idgraph.EINTERNAL, "find_explanation returned %d rows, want 1", len(records))
	}
	rec := records[0]
	if x.FromProfile, err = value[string](rec, "from_profile"); err != nil {
		return x, err
	}
	if x.ToProfile, err = value[string](rec, "to_profile"); err != nil {
		return x, err
	}
	switch {
	case x.FromProfile == "":
		return x, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", from)
	case x.ToProfile == "":
		return x, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", to)
	}
	x.Together = x.FromProfile == x.ToProfile
	if x.Shared, err = readNested(rec, "shared", sharedMarkRow); err != nil {
		return x, err
	}
	switch {
	case x.Together && from == to:
		x.Path = []idgraph.Hop{}
	case x.Together:
		if x.Path, err = readNested(rec, "hops", hopRow); err == nil {
			err = hopDecisions(ctx, tx, space, x.Path)
		}
	default:
		if x.Rejections, err = readNested(rec, "rejections", rejectionRef); err == nil {
			err = explainApart(ctx, tx, params, rec, &x)
		}
	}
	return x, err
}

// explainParams are the parameters of find_explanation (and of
// find_apart_decisions, with the decision ids).
func explainParams(space string, from, to idgraph.Identifier) map[string]any {
	return map[string]any{
		"space":     space,
		"from_type": from.Type, "from_value": from.Value,
		"to_type": to.Type, "to_value": to.Value,
	}
}

// sharedMarkRow reads a mark of find_explanation's shared column.
func sharedMarkRow(rec *neo4j.Record) (idgraph.SharedMark, error) {
	id, err := recordIdentifier(rec)
	if err != nil {
		return idgraph.SharedMark{}, err
	}
	return sharedMark(rec, id)
}

// hopRow reads a hop of find_explanation's hops column.
func hopRow(rec *neo4j.Record) (idgraph.Hop, error) {
	var h idgraph.Hop
	var err error
	if h.From, err = prefixedIdentifier(rec, "from_"); err != nil {
		return h, err
	}
	if h.To, err = prefixedIdentifier(rec, "to_"); err != nil {
		return h, err
	}
	n, err := value[int64](rec, "count")
	if err != nil {
		return h, err
	}
	h.Count = int(n)
	if h.SourceIDs, err = stringList(rec, "source_ids"); err != nil {
		return h, err
	}
	for _, ev := range []struct {
		prefix string
		dst    *idgraph.EventRef
	}{{"first_", &h.FirstEvent}, {"last_", &h.LastEvent}} {
		ref, err := eventRef(rec, ev.prefix)
		if err != nil {
			return h, err
		}
		if ref == nil {
			continue
		}
		if ref.SourceID == "" && len(h.SourceIDs) == 1 {
			// The event is gone (a deleted profile took it), but the
			// edge names its one source.
			ref.SourceID = h.SourceIDs[0]
		}
		*ev.dst = *ref
	}
	return h, nil
}

// rejectionRef reads a REJECTED link from the columns from_type,
// from_value, to_type, to_value, rule, detail, at, count and its event's
// message_id, source_id, event_type, event_name and event_timestamp.
func rejectionRef(rec *neo4j.Record) (idgraph.RejectionRef, error) {
	var r idgraph.RejectionRef
	var err error
	if r.From, err = prefixedIdentifier(rec, "from_"); err != nil {
		return r, err
	}
	if r.To, err = prefixedIdentifier(rec, "to_"); err != nil {
		return r, err
	}
	err = readStrings(rec, map[string]*string{
		"rule": &r.Rule, "detail": &r.Detail,
		"message_id": &r.Event.MessageID, "source_id": &r.Event.SourceID,
		"event_type": &r.Event.Type, "event_name": &r.Event.Event,
	})
	if err == nil {
		r.At, err = readTime(rec, "at")
	}
	if err == nil {
		r.Event.Timestamp, err = readTime(rec, "event_timestamp")
	}
	if err != nil {
		return r, err
	}
	n, err := value[int64](rec, "count")
	r.Count = int(n)
	return r, err
}

// prefixedIdentifier reads an identifier from the columns <prefix>type and
// <prefix>value.
func prefixedIdentifier(rec *neo4j.Record, prefix string) (idgraph.Identifier, error) {
	t, err := value[string](rec, prefix+"type")
	if err != nil {
		return idgraph.Identifier{}, err
	}
	v, err := value[string](rec, prefix+"value")
	return idgraph.Identifier{Type: t, Value: v}, err
}

// stringList reads a list-of-strings column; null is an empty list.
func stringList(rec *neo4j.Record, key string) ([]string, error) {
	vs, err := value[[]any](rec, key)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		s, ok := v.(string)
		if !ok {
			return nil, idgraph.Errorf(idgraph.EINTERNAL, "column %s: want strings, got %T", key, v)
		}
		out = append(out, s)
	}
	return out, nil
}
