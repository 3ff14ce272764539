// Lists the events of one space by time.
// Parameters: none.
// Returns: nothing.
CREATE INDEX event_time IF NOT EXISTS
FOR (e:Event) ON (e.space, e.timestamp)
