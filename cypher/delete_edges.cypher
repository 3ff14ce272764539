// Deletes OBSERVED_WITH links of a space that new rules no longer accept.
// Parameters: $space, $edges: [{a_type, a_value, b_type, b_value}].
// Returns: nothing.
UNWIND $edges AS row
MATCH (a:Identifier {space: $space, type: row.a_type, value: row.a_value})
      -[r:OBSERVED_WITH]->(b:Identifier {space: $space, type: row.b_type, value: row.b_value})
USING INDEX SEEK a:Identifier(space, type, value)
USING INDEX SEEK b:Identifier(space, type, value)
DELETE r
