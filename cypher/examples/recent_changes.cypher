// A space's last 20 changes, newest first, with their evidence: the event
// or the correction behind each, and who made it.
// Parameters: $space.
// Returns: seq, kind, at, profile_id, identifier, evidence, actor.
MATCH (c:Change {space: $space})
RETURN c.seq AS seq, c.kind AS kind, c.at AS at, c.profile_id AS profile_id, c.identifier AS identifier,
       coalesce(c.message_id, c.correction_id) AS evidence, c.actor AS actor
ORDER BY seq DESC
LIMIT 20
