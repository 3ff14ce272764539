// Finds the never decisions that keep two identifiers' different profiles
// apart, each once: every never LINK_DECISION between a member of one and a
// member of the other (walking the Decided members of the smaller profile
// only, so the work is bounded however big the other), and the decisions
// named by id (those REJECTED links of the rule manual:never cite),
// wherever their identifiers are now. No row when the two share a profile,
// either is unknown, or no never decision stands between them.
// Parameters: $space; $from_type, $from_value; $to_type, $to_value; $ids
//   (decision ids).
// Returns: id, a_type, a_value, b_type, b_value, decision, reason, actor, at.
MATCH (asked_from:Identifier {space: $space, type: $from_type, value: $from_value})-[:IN_PROFILE]->(pa:Profile)
USING INDEX SEEK asked_from:Identifier(space, type, value)
MATCH (asked_to:Identifier {space: $space, type: $to_type, value: $to_value})-[:IN_PROFILE]->(pb:Profile)
USING INDEX SEEK asked_to:Identifier(space, type, value)
WHERE pa <> pb
WITH CASE WHEN coalesce(pa.identifier_count, 0) <= coalesce(pb.identifier_count, 0) THEN [pa, pb] ELSE [pb, pa] END AS ps
WITH ps[0] AS small, ps[1] AS big
CALL (small, big) {
  MATCH (small)<-[:IN_PROFILE]-(:Decided)-[d:LINK_DECISION {decision: 'never'}]-(y:Decided)
  WHERE (y)-[:IN_PROFILE]->(big)
  RETURN d
  UNION
  UNWIND $ids AS id
  MATCH (:Identifier {space: $space})-[d:LINK_DECISION {id: id, decision: 'never'}]->(:Identifier)
  RETURN d
}
WITH DISTINCT d
MATCH (a:Identifier)-[d]->(b:Identifier)
RETURN d.id AS id, a.type AS a_type, a.value AS a_value, b.type AS b_type, b.value AS b_value,
       d.decision AS decision, d.reason AS reason, d.actor AS actor, d.at AS at
ORDER BY at, id
