// Claims the batch's events by (space, source_id, message_id); an event that
// already exists is a replay. MERGE on the unique key makes a concurrent
// replay of the same event wait for the first and then see it.
// $space, $source_id, $message_ids (sorted, distinct)
// returns message_id, created (true when this transaction made it)
UNWIND $message_ids AS message_id
MERGE (e:Event {space: $space, source_id: $source_id, message_id: message_id})
  ON CREATE SET e.pending = true
RETURN message_id, coalesce(e.pending, false) AS created
