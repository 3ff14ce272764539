// Finds stored events of a space by key, with all a replay needs of them.
// Parameters: $space, $keys: [{source_id, message_id}].
// Returns: source_id, message_id, type, event, name, timestamp,
//   received_at, sent_at, original_timestamp, user_id, anonymous_id,
//   previous_id, group_id, properties, traits, context, integrations,
//   identifiers.
UNWIND $keys AS k
MATCH (e:Event {space: $space, source_id: k.source_id, message_id: k.message_id})
RETURN e.source_id AS source_id, e.message_id AS message_id, e.type AS type, e.event AS event,
       e.name AS name, e.timestamp AS timestamp, e.received_at AS received_at, e.sent_at AS sent_at,
       e.original_timestamp AS original_timestamp, e.user_id AS user_id,
       e.anonymous_id AS anonymous_id, e.previous_id AS previous_id, e.group_id AS group_id,
       e.properties AS properties, e.traits AS traits, e.context AS context,
       e.integrations AS integrations, e.identifiers AS identifiers
