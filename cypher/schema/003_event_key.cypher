// An event is stored once per space, source and message id: replays are
// idempotent.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT event_key IF NOT EXISTS
FOR (e:Event) REQUIRE (e.space, e.source_id, e.message_id) IS UNIQUE
