// Finds the links corrections cut between a member of the profile holding
// one identifier and a member of the different profile holding another:
// every CUT relationship between the two profiles, with the evidence it
// kept and who cut it, when, why and by which correction. Walks the members
// of the smaller profile only. No row when the two share a profile, either
// is unknown, or no link between them was cut.
// Parameters: $space; $from_type, $from_value; $to_type, $to_value.
// Returns: from_type, from_value, to_type, to_value, count, at, actor,
//   reason, correction_id.
MATCH (:Identifier {space: $space, type: $from_type, value: $from_value})-[:IN_PROFILE]->(pa:Profile)
MATCH (:Identifier {space: $space, type: $to_type, value: $to_value})-[:IN_PROFILE]->(pb:Profile)
WHERE pa <> pb
WITH CASE WHEN coalesce(pa.identifier_count, 0) <= coalesce(pb.identifier_count, 0) THEN [pa, pb] ELSE [pb, pa] END AS ps
WITH ps[0] AS small, ps[1] AS big
MATCH (small)<-[:IN_PROFILE]-(:Identifier)-[c:CUT]-(y:Identifier)
WHERE (y)-[:IN_PROFILE]->(big)
WITH DISTINCT c
WITH c, startNode(c) AS x, endNode(c) AS y
RETURN x.type AS from_type, x.value AS from_value, y.type AS to_type, y.value AS to_value,
       c.count AS count, c.cut_at AS at, c.cut_by AS actor, c.cut_reason AS reason,
       c.correction_id AS correction_id
ORDER BY at, from_type, from_value, to_type, to_value
