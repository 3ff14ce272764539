// Claims the batch's events by (space, source_id, message_id), storing what
// each event says when it is new; an event that already exists is a replay
// and is left alone. MERGE on the unique key makes a concurrent replay of the
// same event wait for the first and then see it. A batch may hold several
// sources' events.
// Parameters: $space, $events: [{source_id, message_id, props: {type,
//   event, name, timestamp, received_at, sent_at, original_timestamp,
//   user_id, anonymous_id, previous_id, group_id, properties, traits,
//   context, integrations}}] sorted by source_id and message_id, distinct.
// Returns: source_id, message_id, created (true when this transaction made
//   it).
UNWIND $events AS row
MERGE (e:Event {space: $space, source_id: row.source_id, message_id: row.message_id})
  ON CREATE SET e += row.props, e.pending = true
RETURN row.source_id AS source_id, row.message_id AS message_id, coalesce(e.pending, false) AS created
