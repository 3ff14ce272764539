// Finds the never and always decisions that name any of the given
// identifiers (either end), each once.
// Parameters: $space, $identifiers: [{type, value}].
// Returns: id, a_type, a_value, b_type, b_value, decision, reason, actor, at.
UNWIND $identifiers AS row
MATCH (asked:Identifier {space: $space, type: row.type, value: row.value})-[d:LINK_DECISION]-()
USING INDEX SEEK asked:Identifier(space, type, value)
WITH DISTINCT d
MATCH (a:Identifier)-[d]->(b:Identifier)
RETURN d.id AS id, a.type AS a_type, a.value AS a_value, b.type AS b_type, b.value AS b_value,
       d.decision AS decision, d.reason AS reason, d.actor AS actor, d.at AS at
