// A profile id is unique across the graph.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT profile_id IF NOT EXISTS
FOR (p:Profile) REQUIRE p.id IS UNIQUE
