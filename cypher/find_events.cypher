// Finds which of the batch's events are stored already: those are replays,
// and are left alone. It reads only: the batch holds the space's lock
// (lock_space), which every transaction that stores a space's events takes
// first, so no other transaction stores one of them before write_events
// does, and the unique key (event_key) would refuse it if one did. A batch
// may hold several sources' events.
// Parameters: $space, $events: [{source_id, message_id}] distinct.
// Returns: source_id, message_id of each event stored already.
UNWIND $events AS row
MATCH (e:Event {space: $space, source_id: row.source_id, message_id: row.message_id})
RETURN e.source_id AS source_id, e.message_id AS message_id
