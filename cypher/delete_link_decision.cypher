// Deletes one never or always decision of a space by its id and answers
// what it was, with the profiles its identifiers are in. No row when the
// space has no such decision.
// Parameters: $space, $id.
// Returns: id, a_type, a_value, b_type, b_value, decision, reason, actor, at,
//   a_profile_id, b_profile_id.
MATCH (a:Identifier {space: $space})-[d:LINK_DECISION {id: $id}]->(b:Identifier)
OPTIONAL MATCH (a)-[:IN_PROFILE]->(pa:Profile)
OPTIONAL MATCH (b)-[:IN_PROFILE]->(pb:Profile)
WITH d, a, b, pa, pb, d.id AS id, d.decision AS decision, d.reason AS reason, d.actor AS actor, d.at AS at
DELETE d
RETURN id, a.type AS a_type, a.value AS a_value, b.type AS b_type, b.value AS b_value,
       decision, reason, actor, at, pa.id AS a_profile_id, pb.id AS b_profile_id
