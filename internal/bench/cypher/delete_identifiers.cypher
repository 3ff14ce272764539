// Deletes one batch of a space's identifiers with their relationships; run
// it until it deletes nothing. (type IS NOT NULL lets the planner seek the
// (space, type) index.)
// Parameters: $space, $limit.
// Returns: deleted.
MATCH (n:Identifier)
WHERE n.space = $space AND n.type IS NOT NULL
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
