// Finds a space's identifiers marked shared (label :Shared, with since and
// reason), newest first (ties by type and value), at most $limit.
// Parameters: $space, $limit.
// Returns: type, value, reason, since.
MATCH (i:Identifier:Shared {space: $space})
RETURN i.type AS type, i.value AS value, i.reason AS reason, i.since AS since
ORDER BY since DESC, type, value
LIMIT $limit
