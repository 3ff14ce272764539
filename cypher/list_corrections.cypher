// Lists the corrections of a space, newest first by (at, id), with every
// profile each changed; only those made at or after $since and strictly
// before ($below_at, $below_key), of the kind $kind and by the actor $actor
// when those are not null. Walks Correction (space, at) backwards and stops
// after $limit.
// Parameters: $space; $kind, $actor (strings or null); $since (datetime);
//   $below_at (datetime), $below_key (string); $limit (integer).
// Returns: id, kind, at, actor, reason, profile_id, detail (JSON),
//   profile_ids.
MATCH (c:Correction {space: $space})
USING INDEX SEEK c:Correction(space, at)
// CASE, not OR, and order by space too: see list_merges.
WHERE c.at >= $since AND c.at <= $below_at
  AND CASE WHEN c.at < $below_at THEN true ELSE c.id < $below_key END
  AND ($kind IS NULL OR c.kind = $kind)
  AND ($actor IS NULL OR c.actor = $actor)
WITH c
ORDER BY c.space DESC, c.at DESC, c.id DESC
LIMIT $limit
RETURN c.id AS id, c.kind AS kind, c.at AS at, c.actor AS actor, c.reason AS reason,
       c.profile_id AS profile_id, c.detail AS detail,
       [(c)-[:CORRECTED]->(p:Profile) | p.id] AS profile_ids
ORDER BY at DESC, id DESC
