// Finds the OBSERVED_WITH edges whose two ends are both among the given
// identifier nodes (element ids from find_graph_nodes, same transaction), in
// their stored direction.
// Parameters: $element_ids (list of strings).
// Returns: from_type, from_value, to_type, to_value, count, first_seen,
//   last_seen.
MATCH (x:Identifier)-[r:OBSERVED_WITH]->(y:Identifier)
WHERE elementId(x) IN $element_ids AND elementId(y) IN $element_ids
RETURN x.type AS from_type, x.value AS from_value, y.type AS to_type, y.value AS to_value,
       r.count AS count, r.first_seen AS first_seen, r.last_seen AS last_seen
ORDER BY from_type, from_value, to_type, to_value
