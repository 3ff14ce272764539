// Stores what shareable identifiers were seen with (idgraph.Companion: the
// newest user ids, emails and anonymous ids, each with when it was first
// seen with the identifier), as JSON text: how a shared identifier shows
// itself.
// Parameters: $space, $companies: [{type, value, company}].
// Returns: nothing.
UNWIND $companies AS row
MATCH (i:Identifier {space: $space, type: row.type, value: row.value})
USING INDEX SEEK i:Identifier(space, type, value)
SET i.company = row.company
