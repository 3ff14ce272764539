// Locks the live profile holding an identifier for a correction, in the
// write path's order: its members in (type, value) order first, then the
// profile (bumping its version). No row when no profile holds it.
// Parameters: $space, $type, $value (the identifier).
// Returns: profile_id, members.
MATCH (asked:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK asked:Identifier(space, type, value)
MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
WITH p, i ORDER BY i.type, i.value
SET i.last_seen = i.last_seen
WITH p, count(i) AS members
SET p.version = coalesce(p.version, 0) + 1
RETURN p.id AS profile_id, members
