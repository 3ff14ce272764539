// Finds the accounts the profile holding an identifier is linked to, by
// account id: no row when no profile holds it, one row with a null
// account_id when it is linked to none.
// Parameters: $space, $type, $value.
// Returns: profile_id, account_id, first_seen, last_seen, message_id,
//   source_id.
MATCH (asked:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK asked:Identifier(space, type, value)
OPTIONAL MATCH (p)-[m:MEMBER_OF]->(a:Account)
RETURN p.id AS profile_id, a.id AS account_id, m.first_seen AS first_seen, m.last_seen AS last_seen,
       m.message_id AS message_id, m.source_id AS source_id
ORDER BY account_id
