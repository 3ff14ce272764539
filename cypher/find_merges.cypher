// Finds the merge history of the live profile holding an identifier: every
// MERGED_INTO edge into it and, transitively, into the profiles merged into
// it earlier, oldest first. No row when there is none or no profile holds
// the identifier.
// Parameters: $space, $type, $value (the identifier).
// Returns: profile_id (the profile merged into), merged_profile_id, at,
//   message_id, source_id.
MATCH (asked:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK asked:Identifier(space, type, value)
OPTIONAL MATCH (old:Profile)-[:MERGED_INTO]->+(p)
WITH p, collect(DISTINCT old) AS olds
UNWIND [p] + olds AS into
MATCH (from:Profile)-[m:MERGED_INTO]->(into)
RETURN into.id AS profile_id, from.id AS merged_profile_id, m.at AS at,
       m.message_id AS message_id, m.source_id AS source_id
ORDER BY at, merged_profile_id
