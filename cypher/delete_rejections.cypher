// Deletes every REJECTED link of a space, for a promotion to write its
// replay's. Runs in batches of its own transactions, so it must be sent
// as an auto-commit query.
// Parameters: $space.
// Returns: nothing.
MATCH (a:Identifier {space: $space})-[r:REJECTED]->()
WHERE a.type IS NOT NULL
CALL (r) {
  DELETE r
} IN TRANSACTIONS OF 10000 ROWS
