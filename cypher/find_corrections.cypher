// Finds the corrections in the history of the live profile holding an
// identifier: every Correction CORRECTED to it or to a profile merged into
// it, transitively, once, with the profile of that history it changed (the
// correction's own profile_id when that is one of them, else the live
// profile when it is, else any). No row when there is none or no profile
// holds the identifier.
// Parameters: $space, $type, $value (the identifier).
// Returns: id, kind, at, actor, reason, profile_id, detail (JSON).
MATCH (asked:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK asked:Identifier(space, type, value)
OPTIONAL MATCH (old:Profile)-[:MERGED_INTO]->+(p)
WITH p, collect(DISTINCT old) AS olds
UNWIND [p] + olds AS x
MATCH (c:Correction)-[:CORRECTED]->(x)
WITH p, c, collect(x.id) AS ids
RETURN c.id AS id, c.kind AS kind, c.at AS at, c.actor AS actor, c.reason AS reason,
       CASE WHEN c.profile_id IN ids THEN c.profile_id
            WHEN p.id IN ids THEN p.id
            ELSE ids[0] END AS profile_id,
       c.detail AS detail
ORDER BY at, id
