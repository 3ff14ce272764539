// Finds a profile of a space by its id and, when it was merged away, the
// live profile it ended in (following MERGED_INTO), with one member of the
// live profile to look it up by. No row when the space has no such profile.
// Parameters: $space, $id.
// Returns: profile_id (the live one), merged (bool), type, value.
MATCH (p:Profile {id: $id, space: $space})
OPTIONAL MATCH (p)-[:MERGED_INTO*1..1000]->(live:Profile)
WHERE live.merged_into IS NULL
WITH p, coalesce(live, p) AS q
LIMIT 1
MATCH (q)<-[:IN_PROFILE]-(i:Identifier)
WITH p, q, i ORDER BY i.type, i.value
LIMIT 1
RETURN q.id AS profile_id, p.id <> q.id AS merged, i.type AS type, i.value AS value
