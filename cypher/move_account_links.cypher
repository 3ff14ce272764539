// Moves the account links of merged profiles to the profiles that took
// them: each link becomes the survivor's (merged with one it already has,
// the earlier first sighting keeping its evidence) and leaves the merged
// profile.
// Parameters: $merges: [{from, into}].
// Returns: nothing.
UNWIND $merges AS row
MATCH (old:Profile {id: row.from})-[m:MEMBER_OF]->(a:Account)
MATCH (p:Profile {id: row.into})
MERGE (p)-[n:MEMBER_OF]->(a)
  ON CREATE SET n.first_seen = m.first_seen, n.last_seen = m.last_seen,
                n.message_id = m.message_id, n.source_id = m.source_id
WITH m, n, m.first_seen < n.first_seen AS earlier
SET n.message_id = CASE WHEN earlier THEN m.message_id ELSE n.message_id END,
    n.source_id = CASE WHEN earlier THEN m.source_id ELSE n.source_id END,
    n.first_seen = CASE WHEN earlier THEN m.first_seen ELSE n.first_seen END,
    n.last_seen = CASE WHEN m.last_seen > n.last_seen THEN m.last_seen ELSE n.last_seen END
DELETE m
