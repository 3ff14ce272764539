// Finds what the metadata route shows of the live profile holding an
// identifier: its times, merge count, member count, and its first and last
// events by (timestamp, message_id) among the events CARRIED to its members
// (null columns when it has none). Each member's first and last events are
// read from the carried_time index, one each, with its time from the index
// entry, so the cost does not grow with the profile's history; the members
// are walked once, and only the two events found are read for what they
// show. No row when no profile holds it.
// Parameters: $space, $type, $value (the identifier).
// Returns: profile_id, created_at, updated_at, merge_count, identifiers
//   (count), first_message_id, first_source_id, first_type, first_event
//   (the track event, or the page or screen name),
//   first_timestamp, last_message_id, last_source_id, last_type, last_event,
//   last_timestamp.
MATCH (asked:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK asked:Identifier(space, type, value)
MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
WITH p, collect(i) AS members
OPTIONAL CALL (members) {
  UNWIND members AS i
  CALL (i) {
    MATCH (e)-[c:CARRIED]->()
    WHERE c.space = $space AND c.type = i.type AND c.value = i.value AND c.timestamp IS NOT NULL
    RETURN e, c.timestamp AS t, e.message_id AS m
    ORDER BY c.space, c.type, c.value, c.timestamp, e.message_id
    LIMIT 1
  }
  RETURN e AS first
  ORDER BY t, m
  LIMIT 1
}
OPTIONAL CALL (members) {
  UNWIND members AS i
  CALL (i) {
    MATCH (e)-[c:CARRIED]->()
    WHERE c.space = $space AND c.type = i.type AND c.value = i.value AND c.timestamp IS NOT NULL
    RETURN e, c.timestamp AS t, e.message_id AS m
    ORDER BY c.space DESC, c.type DESC, c.value DESC, c.timestamp DESC, e.message_id DESC
    LIMIT 1
  }
  RETURN e AS last
  ORDER BY t DESC, m DESC
  LIMIT 1
}
RETURN p.id AS profile_id, p.created_at AS created_at, p.updated_at AS updated_at,
       p.merge_count AS merge_count, size(members) AS identifiers,
       first.message_id AS first_message_id, first.source_id AS first_source_id,
       first.type AS first_type, coalesce(first.event, first.name) AS first_event, first.timestamp AS first_timestamp,
       last.message_id AS last_message_id, last.source_id AS last_source_id,
       last.type AS last_type, coalesce(last.event, last.name) AS last_event, last.timestamp AS last_timestamp
