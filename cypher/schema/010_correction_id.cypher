// A correction's id is unique across the graph.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT correction_id IF NOT EXISTS
FOR (c:Correction) REQUIRE c.id IS UNIQUE
