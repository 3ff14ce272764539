// Finds every standing REJECTED link (lifted_at null) between a member of the
// profile holding one identifier and a member of the different profile
// holding another, in either direction, with the event it fired on (looked
// up by its unique key). No row when the two share a profile, either is
// unknown, or no rule ever kept them apart.
// Parameters: $space; $from_type, $from_value; $to_type, $to_value.
// Returns: from_type, from_value (the refused identifier), to_type, to_value,
//   rule, detail, at, count, message_id, source_id, event_type, event_name,
//   event_timestamp.
MATCH (:Identifier {space: $space, type: $from_type, value: $from_value})-[:IN_PROFILE]->(pa:Profile)
MATCH (:Identifier {space: $space, type: $to_type, value: $to_value})-[:IN_PROFILE]->(pb:Profile)
WHERE pa <> pb
// Walk the members of the smaller profile only, and test the other end of
// each of their few REJECTED links by its one IN_PROFILE hop: the work is
// bounded by the smaller profile, however big the other (a kiosk, a QA user).
WITH CASE WHEN coalesce(pa.identifier_count, 0) <= coalesce(pb.identifier_count, 0) THEN [pa, pb] ELSE [pb, pa] END AS ps
WITH ps[0] AS small, ps[1] AS big
MATCH (small)<-[:IN_PROFILE]-(:Identifier)-[r:REJECTED]-(y:Identifier)
WHERE r.lifted_at IS NULL AND (y)-[:IN_PROFILE]->(big)
WITH DISTINCT r
WITH r, startNode(r) AS x, endNode(r) AS y
OPTIONAL MATCH (e:Event {space: $space, source_id: r.source_id, message_id: r.message_id})
RETURN x.type AS from_type, x.value AS from_value, y.type AS to_type, y.value AS to_value,
       r.rule AS rule, r.detail AS detail, r.at AS at, r.count AS count,
       r.message_id AS message_id, r.source_id AS source_id,
       e.type AS event_type, coalesce(e.event, e.name) AS event_name,
       coalesce(e.timestamp, r.at) AS event_timestamp
ORDER BY at, from_type, from_value, to_type, to_value, rule
