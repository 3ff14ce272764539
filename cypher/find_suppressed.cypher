// Finds which of the given identifiers are on the space's suppression list.
// $space, $identifiers: [{type, value}]
// returns type, value
UNWIND $identifiers AS row
MATCH (s:Suppressed {space: $space, type: row.type, value: row.value})
RETURN s.type AS type, s.value AS value
