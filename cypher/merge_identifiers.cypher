// Creates or touches the batch's identifiers, in the sorted order given, which
// takes their write locks in one order for every writer; keeps the earliest
// first sighting and the latest last sighting; returns each one's profile.
// Parameters: $space, $identifiers: [{type, value, device, first_seen,
//   last_seen, first_source_id, first_message_id}] sorted by type, value.
// Returns: type, value, profile_id (null when the identifier has no
//   profile), shared (marked :Shared), company (what it was seen with, JSON
//   text; null when none is kept).
UNWIND $identifiers AS row
MERGE (i:Identifier {space: $space, type: row.type, value: row.value})
  ON CREATE SET i.first_seen = row.first_seen,
                i.first_source_id = row.first_source_id,
                i.first_message_id = row.first_message_id,
                i.last_seen = row.last_seen
SET i.last_seen = CASE WHEN row.last_seen > i.last_seen THEN row.last_seen ELSE i.last_seen END
FOREACH (_ IN CASE WHEN row.first_seen < i.first_seen THEN [1] ELSE [] END |
  SET i.first_seen = row.first_seen,
      i.first_source_id = row.first_source_id,
      i.first_message_id = row.first_message_id)
FOREACH (_ IN CASE WHEN row.device THEN [1] ELSE [] END | SET i:Device)
WITH i
OPTIONAL MATCH (i)-[:IN_PROFILE]->(p:Profile)
RETURN i.type AS type, i.value AS value, p.id AS profile_id, i:Shared AS shared, i.company AS company
