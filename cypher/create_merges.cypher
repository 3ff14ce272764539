// Records merge history: each merged profile points to its survivor.
// Parameters: $merges: [{from, into, at, message_id, source_id}].
// Returns: nothing.
UNWIND $merges AS row
MATCH (a:Profile {id: row.from})
MATCH (b:Profile {id: row.into})
CREATE (a)-[:MERGED_INTO {at: row.at, message_id: row.message_id, source_id: row.source_id}]->(b)
