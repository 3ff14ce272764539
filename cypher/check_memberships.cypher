// Finds identifiers that do not belong to exactly one profile, or belong to
// a merged one.
// Parameters: $space, $max (rows to return).
// Returns: type, value, profiles (count), merged (bool).
MATCH (i:Identifier {space: $space})
OPTIONAL MATCH (i)-[:IN_PROFILE]->(p:Profile)
WITH i, count(p) AS profiles, sum(CASE WHEN p.merged_into IS NOT NULL THEN 1 ELSE 0 END) > 0 AS merged
WHERE profiles <> 1 OR merged
RETURN i.type AS type, i.value AS value, profiles, merged
LIMIT $max
