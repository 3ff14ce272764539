// Lists the events of the live profile holding an identifier: the distinct
// events CARRIED to any of its members, within [$start, $end), newest first
// by (timestamp, message_id), or oldest first when $oldest, after the
// cursor ($after_timestamp, $after_message_id) in that order when those are
// not null; only those whose event or name is in $include when it is not
// empty, none whose event or name is in $exclude. One row with null event
// columns when the profile has no such event; no row when no profile holds
// the identifier.
// Parameters: $space, $type, $value (the identifier); $start, $end (datetime
//   or null); $after_timestamp (datetime or null), $after_message_id
//   (string or null); $oldest (bool); $include, $exclude (lists of names);
//   $limit (integer).
// Returns: profile_id, message_id, source_id, type, event, name, timestamp,
//   received_at, user_id, anonymous_id, properties, traits, context (JSON
//   strings or null), identifiers (["type:value"]).
MATCH (:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
OPTIONAL CALL (p) {
  MATCH (p)<-[:IN_PROFILE]-(:Identifier)<-[:CARRIED]-(e:Event)
  WITH DISTINCT e
  WHERE ($start IS NULL OR e.timestamp >= $start)
    AND ($end IS NULL OR e.timestamp < $end)
    AND ($after_timestamp IS NULL
         OR (NOT $oldest AND (e.timestamp < $after_timestamp
             OR (e.timestamp = $after_timestamp AND e.message_id < $after_message_id)))
         OR ($oldest AND (e.timestamp > $after_timestamp
             OR (e.timestamp = $after_timestamp AND e.message_id > $after_message_id))))
    AND (size($include) = 0 OR coalesce(e.event, e.name) IN $include)
    AND NOT coalesce(e.event, e.name, '') IN $exclude
  RETURN e
  ORDER BY CASE WHEN $oldest THEN e.timestamp END ASC, CASE WHEN $oldest THEN e.message_id END ASC,
           e.timestamp DESC, e.message_id DESC
  LIMIT $limit
}
RETURN p.id AS profile_id, e.message_id AS message_id, e.source_id AS source_id,
       e.type AS type, e.event AS event, e.name AS name, e.timestamp AS timestamp,
       e.received_at AS received_at, e.user_id AS user_id, e.anonymous_id AS anonymous_id,
       e.properties AS properties, e.traits AS traits, e.context AS context,
       e.identifiers AS identifiers
ORDER BY CASE WHEN $oldest THEN timestamp END ASC, CASE WHEN $oldest THEN message_id END ASC,
         timestamp DESC, message_id DESC
