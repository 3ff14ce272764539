// Finds what a shared identifier was seen with: its mark (since, reason,
// detail and the event that showed it) and the profiles of the identifiers
// linked to it (live, cut or refused links), at most $limit by id, looking
// at its first 10,000 links only. No row when it is not marked :Shared.
// Parameters: $space, $type, $value, $limit.
// Returns: since, reason, detail, message_id, source_id, profiles.
MATCH (i:Identifier:Shared {space: $space, type: $type, value: $value})
CALL (i) {
  MATCH (i)-[:OBSERVED_WITH|CUT|REJECTED]-(j:Identifier)
  WITH j LIMIT 10000
  MATCH (j)-[:IN_PROFILE]->(p:Profile)
  WITH DISTINCT p.id AS id ORDER BY id LIMIT $limit
  RETURN collect(id) AS profiles
}
RETURN i.since AS since, i.reason AS reason, i.detail AS detail,
       i.shared_message_id AS message_id, i.shared_source_id AS source_id, profiles
