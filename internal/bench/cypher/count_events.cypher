// Counts a space's stored events, and the distinct (source, message id)
// pairs among them: the two differ when an event is stored twice.
// (timestamp IS NOT NULL lets the planner seek the (space, timestamp) index.)
// Parameters: $space.
// Returns: events, distinct_events.
MATCH (e:Event)
WHERE e.space = $space AND e.timestamp IS NOT NULL
RETURN count(e) AS events, count(DISTINCT [e.source_id, e.message_id]) AS distinct_events
