// Cuts OBSERVED_WITH links as re-homing a shared identifier cuts them
// (cut_links), each at its own time and for its own reason: a promotion
// writes the cuts its replay made. A link that is not live is left alone.
// Parameters: $space, $links: [{a_type, a_value, b_type, b_value, at,
//   actor, reason, correction_id}].
// Returns: nothing.
UNWIND $links AS row
MATCH (a:Identifier {space: $space, type: row.a_type, value: row.a_value})
USING INDEX SEEK a:Identifier(space, type, value)
MATCH (b:Identifier {space: $space, type: row.b_type, value: row.b_value})
USING INDEX SEEK b:Identifier(space, type, value)
MATCH (a)-[r:OBSERVED_WITH]->(b)
CREATE (a)-[c:CUT]->(b)
SET c = properties(r), c.cut_at = row.at, c.cut_by = row.actor, c.cut_reason = row.reason,
    c.correction_id = row.correction_id
DELETE r
