// Places each identifier in its profile, replacing any earlier membership.
// Parameters: $space, $memberships: [{type, value, profile_id}].
// Returns: nothing.
UNWIND $memberships AS row
MATCH (i:Identifier {space: $space, type: row.type, value: row.value})
USING INDEX SEEK i:Identifier(space, type, value)
MATCH (p:Profile {id: row.profile_id})
OPTIONAL MATCH (i)-[old:IN_PROFILE]->()
DELETE old
CREATE (i)-[:IN_PROFILE]->(p)
