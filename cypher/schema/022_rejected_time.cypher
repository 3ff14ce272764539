// Lists the links the rules refused in one space by when each was first
// refused.
// Parameters: none.
// Returns: nothing.
CREATE INDEX rejected_time IF NOT EXISTS
FOR ()-[r:REJECTED]-() ON (r.space, r.at)
