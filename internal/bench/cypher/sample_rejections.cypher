// Samples standing REJECTED links of a space whose ends lie in two profiles:
// the pairs an explanation of "why not" is asked for.
// Parameters: $space, $limit.
// Returns: from_type, from_value, to_type, to_value.
MATCH (a:Identifier {space: $space})-[r:REJECTED]->(b:Identifier)
WHERE r.lifted_at IS NULL
  AND NOT EXISTS { (a)-[:IN_PROFILE]->(:Profile)<-[:IN_PROFILE]-(b) }
RETURN a.type AS from_type, a.value AS from_value, b.type AS to_type, b.value AS to_value
LIMIT $limit
