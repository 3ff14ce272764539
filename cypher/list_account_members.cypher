// Lists the live user profiles linked to an account, by profile id, after
// a cursor, with their identifiers: no row when the space has no such
// account, one row with a null profile_id when no more profiles follow.
// Parameters: $space, $id (the account), $after (profile id, "" for the
//   first page), $limit (integer).
// Returns: profile_id, first_seen, last_seen, message_id, source_id,
//   members: [[type, value, first_seen, last_seen, first_source_id,
//   first_message_id]] in (type, value) order.
MATCH (a:Account {space: $space, id: $id})
OPTIONAL MATCH (a)<-[m:MEMBER_OF]-(p:Profile)
  WHERE p.merged_into IS NULL AND p.id > $after
WITH m, p ORDER BY p.id LIMIT $limit
CALL (p) {
  MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
  WITH i ORDER BY i.type, i.value
  RETURN collect([i.type, i.value, i.first_seen, i.last_seen, i.first_source_id, i.first_message_id]) AS members
}
RETURN p.id AS profile_id, m.first_seen AS first_seen, m.last_seen AS last_seen,
       m.message_id AS message_id, m.source_id AS source_id, members
