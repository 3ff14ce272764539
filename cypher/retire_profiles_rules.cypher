// Marks the live profiles a promotion left without their oldest identifier
// as merged into the profile that took it.
// Parameters: $merges: [{from, into, at, message_id, source_id}].
// Returns: nothing.
UNWIND $merges AS row
MATCH (a:Profile {id: row.from})
MATCH (b:Profile {id: row.into})
SET a.merged_into = b.id, a.merged_at = row.at, a.identifier_count = 0
CREATE (a)-[:MERGED_INTO {at: row.at, message_id: row.message_id, source_id: row.source_id}]->(b)
