// Takes every shared mark of a space away (mark_shared's label and
// properties): a promotion writes its replay's marks in their place.
// Parameters: $space.
// Returns: nothing.
MATCH (i:Identifier:Shared {space: $space})
REMOVE i:Shared, i.since, i.reason, i.detail, i.shared_message_id, i.shared_source_id
