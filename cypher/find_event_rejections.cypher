// Finds the REJECTED links an event fired, first or last.
// Parameters: $space, $message_id.
// Returns: from_type, from_value, to_type, to_value, rule, detail.
MATCH (x:Identifier {space: $space})-[r:REJECTED]->(y:Identifier)
WHERE r.message_id = $message_id OR r.last_message_id = $message_id
RETURN x.type AS from_type, x.value AS from_value, y.type AS to_type, y.value AS to_value,
       r.rule AS rule, r.detail AS detail
