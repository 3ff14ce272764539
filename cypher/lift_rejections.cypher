// Marks REJECTED links as lifted once both ends share a profile (a windowed
// limit that no longer holds let them join): they stay as history but no
// longer keep the pair apart.
// Parameters: $space, $memberships: [{type, value, profile_id}].
// Returns: nothing.
UNWIND $memberships AS row
MATCH (i:Identifier {space: $space, type: row.type, value: row.value})-[r:REJECTED]-(j:Identifier)
USING INDEX SEEK i:Identifier(space, type, value)
WHERE r.lifted_at IS NULL AND (j)-[:IN_PROFILE]->(:Profile {id: row.profile_id})
SET r.lifted_at = datetime()
