// Lists the events of the live profile holding an identifier, newest first
// by (timestamp, message_id): the distinct events CARRIED to any of its
// members, within [$start, $end), before the cursor ($before_timestamp,
// $before_message_id), only those whose event or name is in $include when it
// is not empty, none whose event or name is in $exclude. Each member's
// events are read newest first from the carried_time index, $limit at most,
// so a page costs the same however long the profile's history. (The inner
// ORDER BY names the index's equal leading keys too: only then does the
// planner read the index in order and stop at $limit.) One row
// with null event columns when the profile has no such event; no row when
// no profile holds the identifier.
// Parameters: $space, $type, $value (the identifier); $start, $end
//   (datetimes); $before_timestamp (datetime), $before_message_id (string:
//   events at that time come before it when their message id is smaller);
//   $include, $exclude (lists of names); $limit (integer).
// Returns: profile_id, message_id, source_id, type, event, name, timestamp,
//   received_at, user_id, anonymous_id, properties, traits, context (JSON
//   strings or null), identifiers (["type:value"]).
MATCH (:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
OPTIONAL CALL (p) {
  MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
  CALL (i) {
    MATCH (e:Event)-[c:CARRIED]->()
    WHERE c.space = $space AND c.type = i.type AND c.value = i.value
      AND c.timestamp >= $start AND c.timestamp < $end AND c.timestamp <= $before_timestamp
      AND (c.timestamp < $before_timestamp OR e.message_id < $before_message_id)
      AND (size($include) = 0 OR coalesce(e.event, e.name) IN $include)
      AND NOT coalesce(e.event, e.name, '') IN $exclude
    RETURN e
    ORDER BY c.space DESC, c.type DESC, c.value DESC, c.timestamp DESC, e.message_id DESC
    LIMIT $limit
  }
  WITH DISTINCT e
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
