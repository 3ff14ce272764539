// Lists every identifier of a space with the profile it belongs to: the
// partition that accuracy is scored on.
// Parameters: $space.
// Returns: type, value, profile_id.
MATCH (i:Identifier {space: $space})-[:IN_PROFILE]->(p:Profile)
RETURN i.type AS type, i.value AS value, p.id AS profile_id
