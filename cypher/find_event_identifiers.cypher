// Finds the identifiers a stored event carried (joined its profile). One row
// with a null type when the event carried none; no row when no such event
// is stored.
// Parameters: $space, $source_id, $message_id (the event's key).
// Returns: type, value.
MATCH (e:Event {space: $space, source_id: $source_id, message_id: $message_id})
OPTIONAL MATCH (e)-[:CARRIED]->(i:Identifier)
RETURN i.type AS type, i.value AS value
