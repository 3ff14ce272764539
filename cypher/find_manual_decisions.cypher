// Finds the always decisions whose manual events are cited as evidence, by
// the decision's id (its manual event's message id): the decision while it
// stands, and the manual event, which keeps what it recorded of a decision
// since removed. One row per id found either way.
// Parameters: $space, $source_id (the manual source), $ids (decision ids).
// Returns: id, standing (false when the decision was removed), a_type,
//   a_value, b_type, b_value, decision, reason, actor (null when removed),
//   at, properties (JSON: the event's decision, actor and reason).
UNWIND $ids AS id
OPTIONAL MATCH (a:Identifier {space: $space})-[d:LINK_DECISION {id: id}]->(b:Identifier)
OPTIONAL MATCH (e:Event {space: $space, source_id: $source_id, message_id: id})
WITH id, a, b, d, e
WHERE d IS NOT NULL OR e IS NOT NULL
RETURN id, d IS NOT NULL AS standing, a.type AS a_type, a.value AS a_value,
       b.type AS b_type, b.value AS b_value, d.decision AS decision, d.reason AS reason,
       d.actor AS actor, coalesce(d.at, e.timestamp) AS at, e.properties AS properties
