// Counts a space's identifiers (the type test lets the planner seek the
// identifier_space_type index instead of scanning every identifier).
// Parameters: $space.
// Returns: identifiers.
MATCH (i:Identifier {space: $space})
WHERE i.type IS NOT NULL
RETURN count(i) AS identifiers
