// Lists every OBSERVED_WITH link of a space with its count, for a
// promotion to compare with its replay's.
// Parameters: $space.
// Returns: a_type, a_value, b_type, b_value, count.
MATCH (a:Identifier {space: $space})-[r:OBSERVED_WITH]->(b:Identifier)
WHERE a.type IS NOT NULL
RETURN a.type AS a_type, a.value AS a_value, b.type AS b_type, b.value AS b_value, r.count AS count
