// Lists every identifier of a space with its live profile and when it was
// first seen: the state a simulation compares its replay with.
// Parameters: $space.
// Returns: type, value, profile_id, first_seen.
MATCH (i:Identifier {space: $space})-[:IN_PROFILE]->(p:Profile)
WHERE i.type IS NOT NULL
RETURN i.type AS type, i.value AS value, p.id AS profile_id, i.first_seen AS first_seen
