// Each schema migration is recorded once.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT migration_version IF NOT EXISTS
FOR (m:Migration) REQUIRE m.version IS UNIQUE
