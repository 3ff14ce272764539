// Finds which of some identifiers are marked :Shared, with their marks.
// Parameters: $space, $identifiers: [{type, value}].
// Returns: type, value, since, reason, detail, message_id, source_id.
UNWIND $identifiers AS row
MATCH (i:Identifier:Shared {space: $space, type: row.type, value: row.value})
RETURN i.type AS type, i.value AS value, i.since AS since, i.reason AS reason, i.detail AS detail,
       i.shared_message_id AS message_id, i.shared_source_id AS source_id
ORDER BY type, value
