// A webhook's place in its space's feed is kept once per space and key.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT webhook_key IF NOT EXISTS
FOR (w:Webhook) REQUIRE (w.space, w.key) IS UNIQUE
