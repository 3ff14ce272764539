// Finds the events that named an account (their groupId), for
// idgraph migrate-accounts.
// Parameters: none.
// Returns: nothing.
CREATE INDEX event_group_id IF NOT EXISTS FOR (e:Event) ON (e.space, e.group_id)
