// Deletes one batch of whatever else carries the space's name (events still
// pending, suppressed values), with their relationships; run it until it
// deletes nothing. Scans every node: run it last, when little is left.
// Parameters: $space, $limit.
// Returns: deleted.
MATCH (n)
WHERE n.space = $space
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
