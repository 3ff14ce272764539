// Lists the events of the live profile holding an identifier, oldest first
// by (timestamp, message_id): list_events in the other direction, after
// the cursor ($after_timestamp, $after_message_id), read the same way: each
// member's oldest $limit events by time alone from the carried_time index;
// every event older than the bound so found is on the page, those at
// exactly the bound compete for the rest by message id, and only the page's
// events are read for their properties. One row with null event columns
// when the profile has no such event; no row when no profile holds the
// identifier.
// Parameters: $space, $type, $value (the identifier); $start, $end
//   (datetimes); $after_timestamp (datetime), $after_message_id (string:
//   events at that time come after it when their message id is larger);
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
      AND c.timestamp >= $start AND c.timestamp < $end AND c.timestamp >= $after_timestamp
      AND (c.timestamp > $after_timestamp OR e.message_id > $after_message_id)
      AND (size($include) = 0 OR coalesce(e.event, e.name) IN $include)
      AND (size($exclude) = 0 OR NOT coalesce(e.event, e.name, '') IN $exclude)
    RETURN e, c.timestamp AS t
    ORDER BY c.space, c.type, c.value, c.timestamp
    LIMIT $limit
  }
  WITH DISTINCT e, t
  ORDER BY t
  LIMIT $limit
  WITH p, collect({e: e, t: t}) AS top
  WITH p, top, CASE WHEN size(top) < $limit THEN null ELSE top[-1].t END AS bound
  CALL (p, bound) {
    WITH p, bound
    WHERE bound IS NOT NULL
    MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
    MATCH (e)-[c:CARRIED]->()
    WHERE c.space = $space AND c.type = i.type AND c.value = i.value AND c.timestamp = bound
      AND (c.timestamp > $after_timestamp OR e.message_id > $after_message_id)
      AND (size($include) = 0 OR coalesce(e.event, e.name) IN $include)
      AND (size($exclude) = 0 OR NOT coalesce(e.event, e.name, '') IN $exclude)
    RETURN collect(DISTINCT e) AS tied
  }
  UNWIND [x IN top WHERE bound IS NULL OR x.t < bound | x.e] + tied AS e
  WITH e, e.timestamp AS timestamp, e.message_id AS message_id
  ORDER BY timestamp, message_id
  LIMIT $limit
  RETURN e, timestamp, message_id
}
RETURN p.id AS profile_id, message_id, e.source_id AS source_id,
       e.type AS type, e.event AS event, e.name AS name, timestamp,
       e.received_at AS received_at, e.user_id AS user_id, e.anonymous_id AS anonymous_id,
       e.properties AS properties, e.traits AS traits, e.context AS context,
       e.identifiers AS identifiers
ORDER BY timestamp, message_id
