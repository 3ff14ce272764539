// Starts connected-component labelling: every identifier of the space takes
// its own element id as its component label. Runs in batches of its own
// transactions, so it must be sent as an auto-commit query.
// Parameters: $space.
// Returns: nothing.
MATCH (i:Identifier {space: $space})
CALL (i) {
  SET i.component = elementId(i)
} IN TRANSACTIONS OF 10000 ROWS
