// Finds a space's shared identifiers, newest first (find_shared_identifiers,
// the health report, analysts' queries).
// Parameters: none.
// Returns: nothing.
CREATE INDEX shared_since IF NOT EXISTS FOR (i:Shared) ON (i.space, i.since)
