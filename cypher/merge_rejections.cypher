// Records links the rules refused: one REJECTED edge per identifier pair and
// rule, in its space, keeping the first event that fired it and counting
// the rest.
// Parameters: $space, $rejections: [{from_type, from_value, to_type,
//   to_value, rule, detail, at, message_id, source_id}].
// Returns: nothing.
UNWIND $rejections AS row
MATCH (a:Identifier {space: $space, type: row.from_type, value: row.from_value})
USING INDEX SEEK a:Identifier(space, type, value)
MATCH (b:Identifier {space: $space, type: row.to_type, value: row.to_value})
USING INDEX SEEK b:Identifier(space, type, value)
MERGE (a)-[r:REJECTED {rule: row.rule}]->(b)
  ON CREATE SET r.space = $space, r.at = row.at, r.message_id = row.message_id, r.source_id = row.source_id,
                r.detail = row.detail, r.count = 0
SET r.count = r.count + 1, r.last_at = row.at, r.last_message_id = row.message_id
