// Sets the traits of profiles and marks them updated.
// Parameters: $profiles: [{id, traits (JSON)}], $at.
// Returns: nothing.
UNWIND $profiles AS row
MATCH (p:Profile {id: row.id})
SET p.traits = row.traits, p.updated_at = $at
