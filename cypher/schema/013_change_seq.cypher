// A change is numbered once per space; the feed reads them in that order.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT change_seq IF NOT EXISTS
FOR (c:Change) REQUIRE (c.space, c.seq) IS UNIQUE
