// Stores the batch's new events in one pass (find_events found them absent):
// what each event says, what the rules made of it, and a CARRIED link to
// each identifier accepted into its profile and to each shared identifier
// it carried (which joins no profile), keyed for the page index
// (carried_time): the identifier's space, type and value, and the event's
// time.
// Parameters: $space, $events: [{source_id, message_id, props: {type,
//   event, name, timestamp, received_at, sent_at, original_timestamp,
//   user_id, anonymous_id, previous_id, group_id, properties, traits,
//   context, integrations}, identifiers: ["type:value"], rejected:
//   ["type:value"], carried: [{type, value}]}] sorted by source_id and
//   message_id, distinct.
// Returns: nothing.
UNWIND $events AS row
CREATE (e:Event {space: $space, source_id: row.source_id, message_id: row.message_id})
SET e += row.props, e.identifiers = row.identifiers, e.rejected = row.rejected
WITH e, row
UNWIND row.carried AS c
MATCH (i:Identifier {space: $space, type: c.type, value: c.value})
USING INDEX SEEK i:Identifier(space, type, value)
CREATE (e)-[:CARRIED {space: $space, type: c.type, value: c.value, timestamp: e.timestamp}]->(i)
