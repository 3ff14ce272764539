// Cuts OBSERVED_WITH links: each becomes a CUT relationship between the same
// two identifiers with all its evidence, marked with who cut it, when, why
// and by which correction. Nothing is deleted but the live link.
// Parameters: $space, $links: [{a_type, a_value, b_type, b_value}], $at,
//   $actor, $reason, $correction_id.
// Returns: nothing.
UNWIND $links AS row
MATCH (a:Identifier {space: $space, type: row.a_type, value: row.a_value})
USING INDEX SEEK a:Identifier(space, type, value)
MATCH (b:Identifier {space: $space, type: row.b_type, value: row.b_value})
USING INDEX SEEK b:Identifier(space, type, value)
MATCH (a)-[r:OBSERVED_WITH]->(b)
CREATE (a)-[c:CUT]->(b)
SET c = properties(r), c.cut_at = $at, c.cut_by = $actor, c.cut_reason = $reason,
    c.correction_id = $correction_id
DELETE r
