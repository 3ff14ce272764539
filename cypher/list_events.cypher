// Lists the events of the live profile holding an identifier, newest first by
// (timestamp, message_id): the distinct events CARRIED to any of its members,
// within [$start, $end) and strictly before the cursor ($before_timestamp,
// $before_message_id) when those are not null. One row with null event
// columns when the profile has no such event; no row when no profile holds
// the identifier.
// Parameters: $space, $type, $value (the identifier); $start, $end (datetime
//   or null); $before_timestamp (datetime or null), $before_message_id
//   (string or null); $limit (integer).
// Returns: profile_id, message_id, source_id, type, event, name, timestamp,
//   received_at, user_id, anonymous_id, properties, traits, context (JSON
//   strings or null), identifiers (["type:value"]).
MATCH (:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
OPTIONAL CALL (p) {
  MATCH (p)<-[:IN_PROFILE]-(:Identifier)<-[:CARRIED]-(e:Event)
  WITH DISTINCT e
  WHERE ($start IS NULL OR e.timestamp >= $start)
    AND ($end IS NULL OR e.timestamp < $end)
    AND ($before_timestamp IS NULL
         OR e.timestamp < $before_timestamp
         OR (e.timestamp = $before_timestamp AND e.message_id < $before_message_id))
  RETURN e
  ORDER BY e.timestamp DESC, e.message_id DESC
  LIMIT $limit
}
RETURN p.id AS profile_id, e.message_id AS message_id, e.source_id AS source_id,
       e.type AS type, e.event AS event, e.name AS name, e.timestamp AS timestamp,
       e.received_at AS received_at, e.user_id AS user_id, e.anonymous_id AS anonymous_id,
       e.properties AS properties, e.traits AS traits, e.context AS context,
       e.identifiers AS identifiers
ORDER BY timestamp DESC, message_id DESC
