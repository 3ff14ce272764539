// Who corrected one person's profile, and how: every correction of the live
// profile holding an identifier or of a profile merged into it, oldest
// first, with the identifiers it moved out and the links it cut.
// Parameters: $space, $type, $value (an identifier of the person).
// Returns: at, kind (split, identifier_removed, linked or unlinked), actor,
//   reason, correction_id, moved_out (["type:value"]), cut (["type:value -
//   type:value"]), detail (JSON).
MATCH (:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
OPTIONAL MATCH (old:Profile)-[:MERGED_INTO]->+(p)
WITH p, collect(DISTINCT old) AS olds
UNWIND [p] + olds AS x
MATCH (c:Correction)-[:CORRECTED]->(x)
WITH DISTINCT c
OPTIONAL MATCH (c)-[:CORRECTED]->(:Profile)<-[l:LEFT]-(i:Identifier)
WHERE l.correction_id = c.id
WITH c, collect(DISTINCT i.type + ':' + i.value) AS moved_out
OPTIONAL MATCH (c)-[:CORRECTED]->(:Profile)<-[:IN_PROFILE|LEFT]-(a:Identifier)-[k:CUT]->(b:Identifier)
WHERE k.correction_id = c.id
RETURN c.at AS at, c.kind AS kind, c.actor AS actor, c.reason AS reason, c.id AS correction_id,
       moved_out, collect(DISTINCT a.type + ':' + a.value + ' - ' + b.type + ':' + b.value) AS cut,
       c.detail AS detail
ORDER BY at
