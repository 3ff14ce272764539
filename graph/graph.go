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
	// Every row carries the profile and its member count.
	if g.ProfileID, err = value[string](records[0], "profile_id"); err != nil {
		return g, err
	}
	total, err := value[int64](records[0], "total")
	if err != nil {
		return g, err
	}
	g.Truncated = total > int64(len(records))
	elementIDs := make([]string, 0, len(records))
	for _, rec := range records {
		n, eid, err := graphNode(rec)
		if err != nil {
			return g, err
		}
		g.Nodes = append(g.Nodes, n)
		elementIDs = append(elementIDs, eid)
	}

	records, err = run(ctx, tx, "find_graph_links", map[string]any{"element_ids": elementIDs})
	if err != nil {
		return g, err
	}
	for _, rec := range records {
		l, err := graphLink(rec)
		if err != nil {
			return g, err
		}
		g.Links = append(g.Links, l)
	}
	return g, nil
}

// graphNode reads one row of find_graph_nodes: the node and its element id.
func graphNode(rec *neo4j.Record) (idgraph.GraphNode, string, error) {
	var n idgraph.GraphNode
	eid, err := value[string](rec, "element_id")
	if err != nil {
		return n, "", err
	}
	ident, err := recordIdentifier(rec)
	if err != nil {
		return n, "", err
	}
	n.ID, n.Type, n.Value = ident.String(), ident.Type, ident.Value
	seen, err := value[time.Time](rec, "first_seen")
	if err != nil {
		return n, "", err
	}
	n.FirstSeen = utc(seen)
	if n.SourceID, err = value[string](rec, "first_source_id"); err != nil {
		return n, "", err
	}
	return n, eid, nil
}

// graphLink reads one row of find_graph_links.
func graphLink(rec *neo4j.Record) (idgraph.GraphLink, error) {
	var l idgraph.GraphLink
	from, err := prefixedIdentifier(rec, "from_")
	if err != nil {
		return l, err
	}
	to, err := prefixedIdentifier(rec, "to_")
	if err != nil {
		return l, err
	}
	l.Source, l.Target = from.String(), to.String()
	n, err := value[int64](rec, "count")
	if err != nil {
		return l, err
	}
	l.Count = int(n)
	first, err := value[time.Time](rec, "first_seen")
	if err != nil {
		return l, err
	}
	last, err := value[time.Time](rec, "last_seen")
	if err != nil {
		return l, err
	}
	l.FirstSeen, l.LastSeen = utc(first), utc(last)
	return l, nil
}
