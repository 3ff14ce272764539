// Finds REJECTED links still in force whose two identifiers share a profile.
// Parameters: $space, $max.
// Returns: from, to (as "type:value"), rule, profile_id.
MATCH (a:Identifier {space: $space})-[r:REJECTED]->(b:Identifier)
WHERE r.lifted_at IS NULL
MATCH (a)-[:IN_PROFILE]->(p:Profile)<-[:IN_PROFILE]-(b)
RETURN a.type + ':' + a.value AS from, b.type + ':' + b.value AS to, r.rule AS rule, p.id AS profile_id
LIMIT $max
