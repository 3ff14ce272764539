// Counts a space's REJECTED links by rule.
// Parameters: $space.
// Returns: rule, refusals.
MATCH (a:Identifier {space: $space})-[r:REJECTED]->()
WHERE a.type IS NOT NULL
RETURN r.rule AS rule, count(*) AS refusals
ORDER BY rule
