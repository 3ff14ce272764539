// Finds the identify events that carried each of the given identifiers,
// with what traits need of them: one row per identifier and event.
// Parameters: $space, $identifiers: [{type, value}].
// Returns: type, value, message_id, source_id, timestamp, traits (JSON or
//   null).
UNWIND $identifiers AS row
MATCH (i:Identifier {space: $space, type: row.type, value: row.value})<-[:CARRIED]-(e:Event {type: 'identify'})
USING INDEX SEEK i:Identifier(space, type, value)
RETURN i.type AS type, i.value AS value, e.message_id AS message_id, e.source_id AS source_id,
       e.timestamp AS timestamp, e.traits AS traits
