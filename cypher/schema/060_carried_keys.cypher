// Gives every CARRIED link written before this version what the page index
// (061) reads: its identifier's space, type and value and its event's time.
// Written by write_events since; filled in here in batches, where missing.
// Parameters: none.
// Returns: nothing.
MATCH (e:Event)-[c:CARRIED]->(i:Identifier)
WHERE c.timestamp IS NULL
CALL (e, c, i) {
  SET c.timestamp = e.timestamp, c.space = i.space, c.type = i.type, c.value = i.value
} IN TRANSACTIONS OF 10000 ROWS
