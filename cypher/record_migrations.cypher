// Records schema migrations as applied; a migration already recorded keeps
// its first applied_at. Safe to run concurrently once 005_migration_version
// holds.
// Parameters: $migrations (list of {version: integer, name: string}).
// Returns: version (integer) of every migration passed.
UNWIND $migrations AS row
MERGE (m:Migration {version: row.version})
  ON CREATE SET m.name = row.name, m.applied_at = datetime()
RETURN m.version AS version
