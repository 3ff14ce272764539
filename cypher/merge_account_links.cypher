// Links user profiles to accounts, or widens the link already there: the
// earlier first sighting keeps its message and source.
// Parameters: $space, $links: [{profile_id, account_id, first_seen,
//   last_seen, message_id, source_id}].
// Returns: nothing.
UNWIND $links AS row
MATCH (p:Profile {id: row.profile_id})
MATCH (a:Account {space: $space, id: row.account_id})
MERGE (p)-[m:MEMBER_OF]->(a)
  ON CREATE SET m.first_seen = row.first_seen, m.last_seen = row.last_seen,
                m.message_id = row.message_id, m.source_id = row.source_id
WITH m, row, row.first_seen < m.first_seen AS earlier
SET m.message_id = CASE WHEN earlier THEN row.message_id ELSE m.message_id END,
    m.source_id = CASE WHEN earlier THEN row.source_id ELSE m.source_id END,
    m.first_seen = CASE WHEN earlier THEN row.first_seen ELSE m.first_seen END,
    m.last_seen = CASE WHEN row.last_seen > m.last_seen THEN row.last_seen ELSE m.last_seen END
