// Records a rules change in the history of the profiles it changed: one
// Correction node (created by the first call) CORRECTED to each of the
// given profiles.
// Parameters: $space, $id, $at, $actor, $reason, $detail (JSON),
//   $profile_ids.
// Returns: nothing.
MERGE (c:Correction {id: $id})
  ON CREATE SET c.space = $space, c.kind = 'rules_changed', c.at = $at, c.actor = $actor,
                c.reason = $reason, c.detail = $detail
WITH c
UNWIND $profile_ids AS pid
MATCH (p:Profile {id: pid})
MERGE (c)-[:CORRECTED]->(p)
