// Moves every identifier of each given component into the profile chosen
// for it, creating the profile when it does not exist.
// Parameters: $space, $assignments: [{component, profile_id, created_at,
//   traits}].
// Returns: type, value, profile_id (the profile it is in now) of each
//   identifier that changed profile (or had none: the change feed's).
UNWIND $assignments AS row
MERGE (p:Profile {id: row.profile_id})
  ON CREATE SET p.space = $space, p.created_at = row.created_at, p.updated_at = row.created_at,
                p.merge_count = 0, p.traits = row.traits, p.version = 0
SET p.merged_into = null, p.merged_at = null
WITH p, row
MATCH (i:Identifier {space: $space, component: row.component})
WITH p, i, EXISTS { (i)-[:IN_PROFILE]->(p) } AS stays
OPTIONAL MATCH (i)-[old:IN_PROFILE]->(q:Profile)
WHERE q <> p
DELETE old
MERGE (i)-[:IN_PROFILE]->(p)
WITH p, i, stays, count(old) AS left
WHERE NOT stays OR left > 0
RETURN i.type AS type, i.value AS value, p.id AS profile_id
