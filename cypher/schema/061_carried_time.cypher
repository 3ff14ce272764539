// Pages through one identifier's events by time: the events CARRIED to an
// identifier, newest (or oldest) first, read in index order, so a page of a
// profile's events costs the same however long its history.
// Parameters: none.
// Returns: nothing.
CREATE INDEX carried_time IF NOT EXISTS
FOR ()-[c:CARRIED]-() ON (c.space, c.type, c.value, c.timestamp)
