// Sets accounts' traits and times after a batch (lock_accounts first).
// Parameters: $space, $accounts: [{id, created_at, updated_at, traits (JSON)}].
// Returns: nothing.
UNWIND $accounts AS row
MATCH (a:Account {space: $space, id: row.id})
SET a.created_at = row.created_at, a.updated_at = row.updated_at, a.traits = row.traits
