// Lists a space's changes numbered after a given one, in feed order.
// Parameters: $space, $after (a change number, 0 for the first), $limit.
// Returns: seq, id, kind, at, profile_id, identifier, from, into,
//   suppressed, detail, message_id, source_id, correction_id, actor, reason.
MATCH (c:Change {space: $space})
WHERE c.seq > $after
RETURN c.seq AS seq, c.id AS id, c.kind AS kind, c.at AS at, c.profile_id AS profile_id,
       c.identifier AS identifier, c.from AS from, c.into AS into, c.suppressed AS suppressed,
       c.detail AS detail, c.message_id AS message_id, c.source_id AS source_id,
       c.correction_id AS correction_id, c.actor AS actor, c.reason AS reason
ORDER BY seq
LIMIT $limit
