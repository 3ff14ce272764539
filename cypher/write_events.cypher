// Finishes the events claimed by merge_events: what the rules made of them,
// and a CARRIED link to each identifier accepted into its profile and to
// each shared identifier it carried (which joins no profile), keyed for the
// page index (carried_time): the identifier's space, type and value, and the
// event's time.
// Parameters: $space, $events: [{source_id, message_id, identifiers:
//   ["type:value"], rejected: ["type:value"], carried: [{type, value}]}].
// Returns: nothing.
UNWIND $events AS row
MATCH (e:Event {space: $space, source_id: row.source_id, message_id: row.message_id})
SET e.identifiers = row.identifiers, e.rejected = row.rejected
REMOVE e.pending
WITH e, row
UNWIND row.carried AS c
MATCH (i:Identifier {space: $space, type: c.type, value: c.value})
CREATE (e)-[:CARRIED {space: $space, type: c.type, value: c.value, timestamp: e.timestamp}]->(i)
