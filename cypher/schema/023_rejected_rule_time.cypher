// Lists the links one rule refused in one space by when each was first
// refused.
// Parameters: none.
// Returns: nothing.
CREATE INDEX rejected_rule_time IF NOT EXISTS
FOR ()-[r:REJECTED]-() ON (r.space, r.rule, r.at)
