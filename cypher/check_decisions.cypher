// Finds the decisions the profiles break: a never pair in one profile, an
// always pair in two.
// Parameters: $space, $max.
// Returns: id, decision, a, b (as "type:value"), a_profile_id, b_profile_id.
MATCH (x:Identifier:Decided {space: $space})-[d:LINK_DECISION]->(y:Identifier)
OPTIONAL MATCH (x)-[:IN_PROFILE]->(px:Profile)
OPTIONAL MATCH (y)-[:IN_PROFILE]->(py:Profile)
WITH d, x, y, px, py
WHERE (d.decision = 'never' AND px = py)
   OR (d.decision = 'always' AND (px IS NULL OR py IS NULL OR px <> py))
RETURN d.id AS id, d.decision AS decision, x.type + ':' + x.value AS a, y.type + ':' + y.value AS b,
       px.id AS a_profile_id, py.id AS b_profile_id
LIMIT $max
