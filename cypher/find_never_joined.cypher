// Finds the never decisions whose two identifiers lie in one labelled
// component (label_components, spread_components): pairs a rebuild must cut
// apart.
// Parameters: $space, $max.
// Returns: id, a_type, a_value, b_type, b_value, decision, reason, actor, at,
//   component.
MATCH (a:Identifier:Decided {space: $space})-[d:LINK_DECISION {decision: 'never'}]->(b:Identifier)
WHERE a.component = b.component
RETURN d.id AS id, a.type AS a_type, a.value AS a_value, b.type AS b_type, b.value AS b_value,
       d.decision AS decision, d.reason AS reason, d.actor AS actor, d.at AS at, a.component AS component
LIMIT $max
