// Finds which of the given identifiers are on the space's suppression list.
// Parameters: $space, $identifiers: [{type, value}].
// Returns: type, value.
UNWIND $identifiers AS row
MATCH (s:Suppressed {space: $space, type: row.type, value: row.value})
RETURN s.type AS type, s.value AS value
