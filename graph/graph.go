package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// Graph returns the live profile holding id as nodes (its identifiers) and
// links (the OBSERVED_WITH edges among the nodes returned), ready to draw.
// It returns at most limit nodes (idgraph.DefaultGraphNodes when limit is
// zero or less, never more than idgraph.MaxGraphNodes): id first, then the others in the
// order they were first seen; Truncated says the profile holds more. Nodes
// and links come from one transaction. ENOTFOUND when no profile holds id.
func (s *Store) Graph(ctx context.Context, space string, id idgraph.Identifier, limit int) (idgraph.ProfileGraph, error) {
	if limit <= 0 {
		limit = idgraph.DefaultGraphNodes
	}
	limit = min(limit, idgraph.MaxGraphNodes)
	return Read(ctx, s.db, "profile graph", func(tx neo4j.ManagedTransaction) (idgraph.ProfileGraph, error) {
		return graphTx(ctx, tx, space, id, limit)
	})
}

func graphTx(ctx context.Context, tx neo4j.ManagedTransaction, space string, id idgraph.Identifier, limit int) (idgraph.ProfileGraph, error) {
	g := idgraph.ProfileGraph{Nodes: []idgraph.GraphNode{}, Links: []idgraph.GraphLink{}}
	records, err := run(ctx, tx, "find_graph_nodes", map[string]any{
		"space": space, "type": id.Type, "value": id.Value, "limit": int64(limit),
	})
	if err != nil {
		return g, err
	}
	if len(records) == 0 {
		return g, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	elementIDs := make([]string, 0, len(records))
	for _, rec := range records {
		if g.ProfileID, err = value[string](rec, "profile_id"); err != nil {
			return g, err
		}
		total, err := value[int64](rec, "total")
		if err != nil {
			return g, err
		}
		g.Truncated = total > int64(len(records))
		eid, err := value[string](rec, "element_id")
		if err != nil {
			return g, err
		}
		elementIDs = append(elementIDs, eid)
		var n idgraph.GraphNode
		ident, err := recordIdentifier(rec)
		if err != nil {
			return g, err
		}
		n.ID, n.Type, n.Value = ident.String(), ident.Type, ident.Value
		seen, err := value[time.Time](rec, "first_seen")
		if err != nil {
			return g, err
		}
		n.FirstSeen = utc(seen)
		if n.SourceID, err = value[string](rec, "first_source_id"); err != nil {
			return g, err
		}
		g.Nodes = append(g.Nodes, n)
	}

	records, err = run(ctx, tx, "find_graph_links", map[string]any{"element_ids": elementIDs})
	if err != nil {
		return g, err
	}
	for _, rec := range records {
		var l idgraph.GraphLink
		from, err := prefixedIdentifier(rec, "from_")
		if err != nil {
			return g, err
		}
		to, err := prefixedIdentifier(rec, "to_")
		if err != nil {
			return g, err
		}
		l.Source, l.Target = from.String(), to.String()
		n, err := value[int64](rec, "count")
		if err != nil {
			return g, err
		}
		l.Count = int(n)
		first, err := value[time.Time](rec, "first_seen")
		if err != nil {
			return g, err
		}
		last, err := value[time.Time](rec, "last_seen")
		if err != nil {
			return g, err
		}
		l.FirstSeen, l.LastSeen = utc(first), utc(last)
		g.Links = append(g.Links, l)
	}
	return g, nil
}
