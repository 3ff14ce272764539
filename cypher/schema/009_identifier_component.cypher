// Finds identifiers by the connected component that check and rebuild last
// computed for them.
// Parameters: none.
// Returns: nothing.
CREATE INDEX identifier_component IF NOT EXISTS FOR (i:Identifier) ON (i.space, i.component)
