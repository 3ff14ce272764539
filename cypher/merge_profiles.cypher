// Creates or updates profiles with their state after a batch.
// Parameters: $space, $profiles: [{id, created_at, updated_at, merge_count,
//   identifier_count, traits (JSON), merged_into, merged_at}].
// Returns: nothing.
UNWIND $profiles AS row
MERGE (p:Profile {id: row.id})
  ON CREATE SET p.space = $space, p.version = 0
SET p.created_at = row.created_at,
    p.updated_at = row.updated_at,
    p.merge_count = row.merge_count,
    p.identifier_count = row.identifier_count,
    p.traits = row.traits,
    p.merged_into = row.merged_into,
    p.merged_at = row.merged_at
