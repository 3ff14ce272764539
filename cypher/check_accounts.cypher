// Finds what breaks the accounts collection: a group_id identifier (a group
// id names an account, never a user: idgraph migrate-accounts takes those
// of older versions out), and an account link left on a merged profile.
// Parameters: $space, $max.
// Returns: kind, account_id, profile_id, merged_into.
CALL () {
  MATCH (i:Identifier {space: $space, type: 'group_id'})
  OPTIONAL MATCH (i)-[:IN_PROFILE]->(p:Profile)
  RETURN 'group_identifier' AS kind, i.value AS account_id, p.id AS profile_id, null AS merged_into
  LIMIT $max
  UNION ALL
  MATCH (a:Account {space: $space})<-[:MEMBER_OF]-(p:Profile)
  WHERE p.merged_into IS NOT NULL
  RETURN 'merged_member' AS kind, a.id AS account_id, p.id AS profile_id, p.merged_into AS merged_into
  LIMIT $max
}
RETURN kind, account_id, profile_id, merged_into
