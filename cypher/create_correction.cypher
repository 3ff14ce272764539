// Records a correction for the audit trail: a Correction node with its kind,
// actor, reason and details, CORRECTED to every profile it changed.
// Parameters: $space, $id, $kind, $at, $actor, $reason, $profile_id,
//   $detail (JSON), $profile_ids.
// Returns: nothing.
CREATE (c:Correction {id: $id, space: $space, kind: $kind, at: $at, actor: $actor,
                      reason: $reason, profile_id: $profile_id, detail: $detail})
WITH c
UNWIND $profile_ids AS pid
MATCH (p:Profile {id: pid})
CREATE (c)-[:CORRECTED]->(p)
