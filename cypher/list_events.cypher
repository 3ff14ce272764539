// Lists the events of the live profile holding an identifier, newest first
// by (timestamp, message_id): the distinct events CARRIED to any of its
// members, within [$start, $end), before the cursor ($before_timestamp,
// $before_message_id), only those whose event or name is in $include when it
// is not empty, none whose event or name is in $exclude. A page costs the
// same however long the profile's history, and reads what ordering needs
// before the events themselves: each member's newest $limit events by time
// alone, from the carried_time index (its time comes with the index entry;
// the inner ORDER BY names the index's equal leading keys too: only then
// does the planner read the index in order and stop at $limit); of those,
// the newest $limit by time (bound: the time of the last, when there are
// $limit); every event newer than bound is on the page, and the events at
// exactly bound, read again from the index by that time, compete for the
// rest by message id. Only the page's events are read for their properties.
// One row with null event columns when the profile has no such event; no
// row when no profile holds the identifier.
// Parameters: $space, $type, $value (the identifier); $start, $end
//   (datetimes); $before_timestamp (datetime), $before_message_id (string:
//   events at that time come before it when their message id is smaller);
//   $include, $exclude (lists of names); $limit (integer).
// Returns: profile_id, message_id, source_id, type, event, name, timestamp,
//   received_at, user_id, anonymous_id, properties, traits, context (JSON
//   strings or null), identifiers (["type:value"]).
MATCH (asked:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK asked:Identifier(space, type, value)
OPTIONAL CALL (p) {
  MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
  CALL (i) {
    MATCH (e)-[c:CARRIED]->()
    WHERE c.space = $space AND c.type = i.type AND c.value = i.value
      AND c.timestamp >= $start AND c.timestamp < $end AND c.timestamp <= $before_timestamp
      AND (c.timestamp < $before_timestamp OR e.message_id < $before_message_id)
      AND (size($include) = 0 OR coalesce(e.event, e.name) IN $include)
      AND (size($exclude) = 0 OR NOT coalesce(e.event, e.name, '') IN $exclude)
    RETURN e, c.timestamp AS t
    ORDER BY c.space DESC, c.type DESC, c.value DESC, c.timestamp DESC
    LIMIT $limit
  }
  WITH DISTINCT e, t
  ORDER BY t DESC
  LIMIT $limit
  WITH p, collect({e: e, t: t}) AS top
  WITH p, top, CASE WHEN size(top) < $limit THEN null ELSE top[-1].t END AS bound
  CALL (p, bound) {
    WITH p, bound
    WHERE bound IS NOT NULL
    MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
    MATCH (e)-[c:CARRIED]->()
    WHERE c.space = $space AND c.type = i.type AND c.value = i.value AND c.timestamp = bound
      AND (c.timestamp < $before_timestamp OR e.message_id < $before_message_id)
      AND (size($include) = 0 OR coalesce(e.event, e.name) IN $include)
      AND (size($exclude) = 0 OR NOT coalesce(e.event, e.name, '') IN $exclude)
    RETURN collect(DISTINCT e) AS tied
  }
  UNWIND [x IN top WHERE bound IS NULL OR x.t > bound | x.e] + tied AS e
  WITH e, e.timestamp AS timestamp, e.message_id AS message_id
  ORDER BY timestamp DESC, message_id DESC
  LIMIT $limit
  RETURN e, timestamp, message_id
}
RETURN p.id AS profile_id, message_id, e.source_id AS source_id,
       e.type AS type, e.event AS event, e.name AS name, timestamp,
       e.received_at AS received_at, e.user_id AS user_id, e.anonymous_id AS anonymous_id,
       e.properties AS properties, e.traits AS traits, e.context AS context,
       e.identifiers AS identifiers
ORDER BY timestamp DESC, message_id DESC
