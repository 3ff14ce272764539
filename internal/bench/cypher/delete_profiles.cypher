// Deletes one batch of a space's profiles with their relationships; run it
// until it deletes nothing.
// Parameters: $space, $limit.
// Returns: deleted.
MATCH (n:Profile {space: $space})
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
