// Lists the corrections of one space by time.
// Parameters: none.
// Returns: nothing.
CREATE INDEX correction_time IF NOT EXISTS
FOR (c:Correction) ON (c.space, c.at)
