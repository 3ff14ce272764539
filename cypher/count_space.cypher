// Counts a space's live profiles, identifiers and components.
// Parameters: $space.
// Returns: profiles, identifiers, components.
CALL (*) { MATCH (p:Profile {space: $space}) WHERE p.merged_into IS NULL RETURN count(p) AS profiles }
CALL (*) { MATCH (i:Identifier {space: $space}) RETURN count(i) AS identifiers, count(DISTINCT i.component) AS components }
RETURN profiles, identifiers, components
