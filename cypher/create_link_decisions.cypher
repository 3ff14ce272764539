// Records never and always decisions: one LINK_DECISION relationship from the
// smaller identifier to the larger, with who decided, when and why; both
// identifiers take the label Decided, which the write path looks for.
// Parameters: $space, $decisions: [{id, a_type, a_value, b_type, b_value,
//   decision, reason, actor, at}].
// Returns: nothing.
UNWIND $decisions AS row
MATCH (a:Identifier {space: $space, type: row.a_type, value: row.a_value})
USING INDEX SEEK a:Identifier(space, type, value)
MATCH (b:Identifier {space: $space, type: row.b_type, value: row.b_value})
USING INDEX SEEK b:Identifier(space, type, value)
SET a:Decided, b:Decided
CREATE (a)-[:LINK_DECISION {id: row.id, decision: row.decision, reason: row.reason,
                            actor: row.actor, at: row.at}]->(b)
