// Takes an identifier out of the graph for good: puts its value on the
// space's suppression list, deletes its node with its links, and deletes
// the profile it was left alone in. No row when the space has no such
// identifier.
// Parameters: $space, $type, $value (the identifier).
// Returns: profile_id.
MATCH (i:Identifier {space: $space, type: $type, value: $value})
USING INDEX SEEK i:Identifier(space, type, value)
OPTIONAL MATCH (i)-[:IN_PROFILE]->(p:Profile)
MERGE (s:Suppressed {space: $space, type: $type, value: $value})
  ON CREATE SET s.at = datetime(), s.profile_id = p.id
WITH i, p, p.id AS profile_id
DETACH DELETE i
WITH p, profile_id
CALL (p) {
  WITH p WHERE p IS NOT NULL AND NOT EXISTS { (p)<-[:IN_PROFILE]-() }
  DETACH DELETE p
}
RETURN profile_id
