// Finds every membership told by the history of the live profile holding an
// identifier: its members (IN_PROFILE, with since when a split moved them
// in) and every identifier that left it or a profile merged into it,
// transitively (LEFT, with since, when it had joined, and at, when it left,
// by which correction). No row when no profile holds the identifier.
// Parameters: $space, $type, $value (the identifier).
// Returns: type, value, profile_id, since (null for a member that joined
//   with its first sighting), left_at (null for a member), correction_id
//   (null for a member), first_seen, first_source_id, first_message_id.
MATCH (asked:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK asked:Identifier(space, type, value)
OPTIONAL MATCH (old:Profile)-[:MERGED_INTO]->+(p)
WITH p, collect(DISTINCT old) AS olds
CALL (p, olds) {
  MATCH (i:Identifier)-[m:IN_PROFILE]->(p)
  RETURN i, p AS x, m.since AS since, null AS left_at, null AS correction_id
  UNION ALL
  UNWIND [p] + olds AS x
  MATCH (i:Identifier)-[l:LEFT]->(x)
  RETURN i, x, l.since AS since, l.at AS left_at, l.correction_id AS correction_id
}
RETURN i.type AS type, i.value AS value, x.id AS profile_id, since, left_at, correction_id,
       i.first_seen AS first_seen, i.first_source_id AS first_source_id,
       i.first_message_id AS first_message_id
ORDER BY type, value, left_at
