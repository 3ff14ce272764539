// Adds or updates the evidence that two identifiers were seen together: one
// OBSERVED_WITH edge per pair, from the smaller (type, value) to the larger.
// Parameters: $space, $edges: [{a_type, a_value, b_type, b_value,
//   first_seen, last_seen, count, first_message_id, last_message_id,
//   source_ids}].
// Returns: nothing.
UNWIND $edges AS row
MATCH (a:Identifier {space: $space, type: row.a_type, value: row.a_value})
USING INDEX SEEK a:Identifier(space, type, value)
MATCH (b:Identifier {space: $space, type: row.b_type, value: row.b_value})
USING INDEX SEEK b:Identifier(space, type, value)
MERGE (a)-[r:OBSERVED_WITH]->(b)
  ON CREATE SET r.first_seen = row.first_seen, r.first_message_id = row.first_message_id,
                r.last_seen = row.last_seen, r.last_message_id = row.last_message_id,
                r.count = 0, r.source_ids = []
SET r.count = r.count + row.count,
    r.source_ids = r.source_ids + [s IN row.source_ids WHERE NOT s IN r.source_ids]
FOREACH (_ IN CASE WHEN row.first_seen < r.first_seen THEN [1] ELSE [] END |
  SET r.first_seen = row.first_seen, r.first_message_id = row.first_message_id)
FOREACH (_ IN CASE WHEN row.last_seen >= r.last_seen THEN [1] ELSE [] END |
  SET r.last_seen = row.last_seen, r.last_message_id = row.last_message_id)
