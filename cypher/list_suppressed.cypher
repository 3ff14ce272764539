// Lists a space's suppressed identifier values.
// Parameters: $space.
// Returns: type, value.
MATCH (s:Suppressed {space: $space})
WHERE s.type IS NOT NULL AND s.value IS NOT NULL
RETURN s.type AS type, s.value AS value
