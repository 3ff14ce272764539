// Deletes one batch of a space's nodes (every node whose space property is
// $space) with their relationships; run it until it deletes nothing.
// Parameters: $space (string), $limit (integer, nodes per batch).
// Returns: deleted (integer, nodes deleted by this batch).
MATCH (n)
WHERE n.space = $space
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
