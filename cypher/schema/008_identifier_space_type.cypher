// Lists the identifiers of one type in one space.
// Parameters: none.
// Returns: nothing.
CREATE INDEX identifier_space_type IF NOT EXISTS
FOR (i:Identifier) ON (i.space, i.type)
