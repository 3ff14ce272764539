// One round of connected-component labelling: every identifier takes the
// smallest label among its OBSERVED_WITH neighbours when that is smaller than
// its own. Repeated until nothing changes, the labels are the components.
// Traverses single edges only (never paths). Auto-commit query.
// Parameters: $space.
// Returns: nothing (the summary counts the properties set).
MATCH (a:Identifier {space: $space})-[:OBSERVED_WITH]-(b:Identifier)
WITH a, min(b.component) AS smallest
WHERE smallest < a.component
CALL (a, smallest) {
  SET a.component = smallest
} IN TRANSACTIONS OF 10000 ROWS
