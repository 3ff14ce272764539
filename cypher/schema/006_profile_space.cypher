// Lists the profiles of one space.
// Parameters: none.
// Returns: nothing.
CREATE INDEX profile_space IF NOT EXISTS
FOR (p:Profile) ON (p.space)
