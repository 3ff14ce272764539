// Finds the links corrections cut between the profile holding one
// identifier and the different profile holding another: every CUT
// relationship between a member of one and a member of the other, and the
// two CUTs of one correction that met at an identifier it took out of the
// path between them (a removed bridge), each with the evidence it kept and
// who cut it, when, why and by which correction. Walks the members of the
// smaller profile only. No row when the two share a profile, either is
// unknown, or no link between them was cut.
// Parameters: $space; $from_type, $from_value; $to_type, $to_value.
// Returns: from_type, from_value, to_type, to_value, count, at, actor,
//   reason, correction_id.
MATCH (:Identifier {space: $space, type: $from_type, value: $from_value})-[:IN_PROFILE]->(pa:Profile)
MATCH (:Identifier {space: $space, type: $to_type, value: $to_value})-[:IN_PROFILE]->(pb:Profile)
WHERE pa <> pb
WITH CASE WHEN coalesce(pa.identifier_count, 0) <= coalesce(pb.identifier_count, 0) THEN [pa, pb] ELSE [pb, pa] END AS ps
WITH ps[0] AS small, ps[1] AS big
CALL (small, big) {
  MATCH (small)<-[:IN_PROFILE]-(:Identifier)-[c:CUT]-(y:Identifier)
  WHERE (y)-[:IN_PROFILE]->(big)
  RETURN c
  UNION
  MATCH (small)<-[:IN_PROFILE]-(:Identifier)-[c1:CUT]-(x:Identifier)-[c2:CUT]-(y:Identifier)
  WHERE c2.correction_id = c1.correction_id AND (y)-[:IN_PROFILE]->(big)
    AND NOT (x)-[:IN_PROFILE]->(small) AND NOT (x)-[:IN_PROFILE]->(big)
  UNWIND [c1, c2] AS c
  RETURN c
}
WITH DISTINCT c
WITH c, startNode(c) AS x, endNode(c) AS y
RETURN x.type AS from_type, x.value AS from_value, y.type AS to_type, y.value AS to_value,
       c.count AS count, c.cut_at AS at, c.cut_by AS actor, c.cut_reason AS reason,
       c.correction_id AS correction_id
ORDER BY at, from_type, from_value, to_type, to_value
