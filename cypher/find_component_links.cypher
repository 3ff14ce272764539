// Finds the live OBSERVED_WITH links of one labelled component, with their
// evidence, in their stored direction.
// Parameters: $space, $component.
// Returns: a_type, a_value, b_type, b_value, first_seen, last_seen, count,
//   first_message_id, last_message_id, source_ids.
MATCH (a:Identifier {space: $space, component: $component})-[r:OBSERVED_WITH]->(b:Identifier)
RETURN a.type AS a_type, a.value AS a_value, b.type AS b_type, b.value AS b_value,
       r.first_seen AS first_seen, r.last_seen AS last_seen, r.count AS count,
       r.first_message_id AS first_message_id, r.last_message_id AS last_message_id,
       r.source_ids AS source_ids
