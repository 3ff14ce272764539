// Sets OBSERVED_WITH links of a space to what a replay under new rules
// made of them, creating those that are new.
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
SET r.first_seen = row.first_seen, r.first_message_id = row.first_message_id,
    r.last_seen = row.last_seen, r.last_message_id = row.last_message_id,
    r.count = row.count, r.source_ids = row.source_ids
