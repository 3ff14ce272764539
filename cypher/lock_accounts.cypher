// Creates the given accounts when new and locks them all in the sorted order
// given (bumping their version), returning what each holds: the write path
// merges a batch's traits into them in Go.
// Parameters: $space, $accounts: [{id, created_at}] sorted by id, distinct.
// Returns: id, created_at, updated_at, traits (JSON).
UNWIND $accounts AS row
MERGE (a:Account {space: $space, id: row.id})
  ON CREATE SET a.created_at = row.created_at, a.updated_at = row.created_at, a.traits = '{}', a.version = 0
SET a.version = coalesce(a.version, 0) + 1
RETURN a.id AS id, a.created_at AS created_at, a.updated_at AS updated_at, a.traits AS traits
