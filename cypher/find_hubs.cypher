// Finds a space's hub identifiers: the $limit with the most OBSERVED_WITH
// links (their degree, read without visiting the other ends), most first
// (ties by type and value), each with the distinct user_id identifiers one
// hop away over OBSERVED_WITH or REJECTED, joined or refused. One pass over
// the space's identifiers by the identifier_space_type index (the type test
// lets the planner seek it); only the top $limit are expanded.
// Parameters: $space, $limit.
// Returns: type, value, links, user_ids.
MATCH (i:Identifier {space: $space})
WHERE i.type IS NOT NULL
WITH i, COUNT { (i)-[:OBSERVED_WITH]-() } AS links
WHERE links > 0
ORDER BY links DESC, i.type, i.value
LIMIT $limit
RETURN i.type AS type, i.value AS value, links,
       COUNT { MATCH (i)-[:OBSERVED_WITH|REJECTED]-(u:Identifier {type: 'user_id'}) RETURN DISTINCT u } AS user_ids
