// Fills in the events claimed by merge_events and links each to the
// identifiers it carried into its profile.
// $space, $source_id, $events: [{message_id, type, event, name, timestamp,
//   received_at, sent_at, original_timestamp, user_id, anonymous_id,
//   previous_id, group_id, properties, traits, context, integrations (JSON),
//   identifiers: ["type:value"], rejected: ["type:value"], carried: [{type, value}]}]
// returns nothing
UNWIND $events AS row
MATCH (e:Event {space: $space, source_id: $source_id, message_id: row.message_id})
SET e.type = row.type, e.event = row.event, e.name = row.name,
    e.timestamp = row.timestamp, e.received_at = row.received_at,
    e.sent_at = row.sent_at, e.original_timestamp = row.original_timestamp,
    e.user_id = row.user_id, e.anonymous_id = row.anonymous_id,
    e.previous_id = row.previous_id, e.group_id = row.group_id,
    e.properties = row.properties, e.traits = row.traits,
    e.context = row.context, e.integrations = row.integrations,
    e.identifiers = row.identifiers, e.rejected = row.rejected
REMOVE e.pending
WITH e, row
UNWIND row.carried AS c
MATCH (i:Identifier {space: $space, type: c.type, value: c.value})
CREATE (e)-[:CARRIED]->(i)
