// An identifier is unique per space, type and value.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT identifier_key IF NOT EXISTS
FOR (i:Identifier) REQUIRE (i.space, i.type, i.value) IS UNIQUE
