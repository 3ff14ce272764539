// Lists a space's never and always decisions, oldest first, optionally only
// those naming one identifier, after the cursor ($after_at, $after_id) when
// those are not null.
// Parameters: $space, $type, $value (the identifier, or nulls for all);
//   $after_at, $after_id (the last decision of the previous page, or nulls);
//   $limit (integer).
// Returns: id, a_type, a_value, b_type, b_value, decision, reason, actor, at.
MATCH (a:Identifier {space: $space})-[d:LINK_DECISION]->(b:Identifier)
WHERE ($type IS NULL OR (a.type = $type AND a.value = $value) OR (b.type = $type AND b.value = $value))
  AND ($after_at IS NULL OR d.at > $after_at OR (d.at = $after_at AND d.id > $after_id))
RETURN d.id AS id, a.type AS a_type, a.value AS a_value, b.type AS b_type, b.value AS b_value,
       d.decision AS decision, d.reason AS reason, d.actor AS actor, d.at AS at
ORDER BY at, id
LIMIT $limit
