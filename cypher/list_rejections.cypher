// Lists the links the rules refused in a space, newest first by (at, key):
// each REJECTED link with its rule, its first event (looked up by its
// unique key), its count and its last firing; only those first refused at
// or after $since and strictly before ($below_at, $below_key), with an
// identifier of type $type at either end when it is not null. Walks
// REJECTED (space, at) backwards and stops after $limit.
// Parameters: $space; $type (string or null); $since (datetime); $below_at
//   (datetime), $below_key (string); $limit (integer).
// Returns: key, from_type, from_value (the refused identifier), to_type,
//   to_value, rule, detail, at, count, last_at, last_message_id, lifted_at,
//   message_id, source_id, event_type, event_name, event_timestamp.
MATCH (x:Identifier)-[r:REJECTED]->(y:Identifier)
USING INDEX SEEK r:REJECTED(space, at)
// CASE, not OR, and order by space too: see list_merges.
WHERE r.space = $space AND r.at >= $since AND r.at <= $below_at
  AND ($type IS NULL OR x.type = $type OR y.type = $type)
WITH x, r, y, r.rule + ' ' + x.type + ':' + x.value + ' ' + y.type + ':' + y.value AS key
WHERE CASE WHEN r.at < $below_at THEN true ELSE key < $below_key END
WITH x, r, y, key
ORDER BY r.space DESC, r.at DESC, key DESC
LIMIT $limit
OPTIONAL MATCH (e:Event {space: $space, source_id: r.source_id, message_id: r.message_id})
RETURN key, x.type AS from_type, x.value AS from_value, y.type AS to_type, y.value AS to_value,
       r.rule AS rule, r.detail AS detail, r.at AS at, r.count AS count,
       r.last_at AS last_at, r.last_message_id AS last_message_id, r.lifted_at AS lifted_at,
       r.message_id AS message_id, r.source_id AS source_id,
       e.type AS event_type, coalesce(e.event, e.name) AS event_name,
       coalesce(e.timestamp, r.at) AS event_timestamp
ORDER BY at DESC, key DESC
