// Deletes the profile holding an identifier, with its identifiers (and so
// their edges), the events that carried them and its merge history, and puts
// every identifier value on the space's suppression list.
// Parameters: $space, $type, $value.
// Returns: profile_id, identifiers: ["type:value"], events (count).
MATCH (asked:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK asked:Identifier(space, type, value)
SET p.version = coalesce(p.version, 0) + 1
WITH p
MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
WITH p, collect(i) AS members
CALL (members) {
  UNWIND members AS i
  OPTIONAL MATCH (e:Event)-[:CARRIED]->(i)
  WITH DISTINCT e WHERE e IS NOT NULL
  DETACH DELETE e
  RETURN count(e) AS events
}
CALL (p) {
  OPTIONAL MATCH (old:Profile)-[:MERGED_INTO]->+(p)
  WITH DISTINCT old WHERE old IS NOT NULL
  DETACH DELETE old
  RETURN count(old) AS history
}
CALL (p, members) {
  UNWIND members AS i
  MERGE (s:Suppressed {space: p.space, type: i.type, value: i.value})
    ON CREATE SET s.at = datetime(), s.profile_id = p.id
  RETURN count(s) AS suppressed
}
WITH p, members, events, [i IN members | i.type + ':' + i.value] AS ids
FOREACH (i IN members | DETACH DELETE i)
WITH p.id AS profile_id, ids, events, p
DETACH DELETE p
RETURN profile_id, ids AS identifiers, events
