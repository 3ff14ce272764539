// Deletes one batch of a space's events with their relationships; run it
// until it deletes nothing. (timestamp IS NOT NULL lets the planner seek the
// (space, timestamp) index.)
// Parameters: $space, $limit.
// Returns: deleted.
MATCH (n:Event)
WHERE n.space = $space AND n.timestamp IS NOT NULL
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
