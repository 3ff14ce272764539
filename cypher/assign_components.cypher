// Moves every identifier of each given component into the profile chosen
// for it, creating the profile when it does not exist.
// Parameters: $space, $assignments: [{component, profile_id, created_at,
//   traits}].
// Returns: nothing.
UNWIND $assignments AS row
MERGE (p:Profile {id: row.profile_id})
  ON CREATE SET p.space = $space, p.created_at = row.created_at, p.updated_at = row.created_at,
                p.merge_count = 0, p.traits = row.traits, p.version = 0
SET p.merged_into = null, p.merged_at = null
WITH p, row
MATCH (i:Identifier {space: $space, component: row.component})
OPTIONAL MATCH (i)-[old:IN_PROFILE]->(q:Profile)
WHERE q.id <> row.profile_id
DELETE old
MERGE (i)-[:IN_PROFILE]->(p)
