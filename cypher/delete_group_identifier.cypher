// Deletes a group_id identifier (older versions made one of groupId; it
// names an account, not a user) with its relationships, and the profile it
// is left alone in. No row when the space has no such identifier.
// Parameters: $space, $value.
// Returns: profile_id.
MATCH (i:Identifier {space: $space, type: 'group_id', value: $value})
USING INDEX SEEK i:Identifier(space, type, value)
OPTIONAL MATCH (i)-[:IN_PROFILE]->(p:Profile)
WITH i, p, p.id AS profile_id
DETACH DELETE i
WITH p, profile_id
CALL (p) {
  WITH p WHERE p IS NOT NULL AND NOT EXISTS { (p)<-[:IN_PROFILE]-() }
  DETACH DELETE p
}
RETURN profile_id
