// Finds the number of a space's latest rules version in the graph (null
// when none was promoted: the spaces file's version 1 is active).
// Parameters: $space.
// Returns: version.
MATCH (v:RulesVersion {space: $space})
RETURN max(v.version) AS version
