// The floor: creates or counts OBSERVED_WITH edges between identifiers that
// floor_identifiers wrote, from the smaller (type, value) to the larger.
// Parameters: $space, $edges: [{a_type, a_value, b_type, b_value, count}]
//   sorted.
// Returns: nothing.
UNWIND $edges AS row
MATCH (a:Identifier {space: $space, type: row.a_type, value: row.a_value})
MATCH (b:Identifier {space: $space, type: row.b_type, value: row.b_value})
MERGE (a)-[r:OBSERVED_WITH]->(b)
  ON CREATE SET r.count = 0
SET r.count = r.count + row.count
