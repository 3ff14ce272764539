// A suppressed identifier value is listed once per space, type and value.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT suppressed_key IF NOT EXISTS
FOR (s:Suppressed) REQUIRE (s.space, s.type, s.value) IS UNIQUE
