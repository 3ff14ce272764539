// Lists the keys of every stored event of a space with when it arrived,
// for a replay to sort in arrival order; events received at or after
// $since only, when it is not null.
// Parameters: $space, $since.
// Returns: source_id, message_id, received_at, timestamp.
MATCH (e:Event {space: $space})
WHERE e.timestamp IS NOT NULL
  AND ($since IS NULL OR coalesce(e.received_at, e.timestamp) >= $since)
RETURN e.source_id AS source_id, e.message_id AS message_id,
       coalesce(e.received_at, e.timestamp) AS received_at, e.timestamp AS timestamp
