// Finds the profiles holding the given identifiers: one row per identifier
// that exists (its profile id null when none holds it).
// Parameters: $space, $identifiers: [{type, value}].
// Returns: type, value, profile_id.
UNWIND $identifiers AS row
MATCH (i:Identifier {space: $space, type: row.type, value: row.value})
USING INDEX SEEK i:Identifier(space, type, value)
OPTIONAL MATCH (i)-[:IN_PROFILE]->(p:Profile)
RETURN i.type AS type, i.value AS value, p.id AS profile_id
