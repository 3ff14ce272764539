// A space has one change feed head, which numbers its changes.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT feed_space IF NOT EXISTS
FOR (f:Feed) REQUIRE f.space IS UNIQUE
