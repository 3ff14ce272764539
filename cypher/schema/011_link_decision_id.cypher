// Finds a never or always decision by its id.
// Parameters: none.
// Returns: nothing.
CREATE INDEX link_decision_id IF NOT EXISTS FOR ()-[d:LINK_DECISION]-() ON (d.id)
