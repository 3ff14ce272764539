// Marks identifiers shared: label :Shared, with since (the time of the event
// that showed it), reason (two_users, many_people or kiosk), detail (the
// reason in words) and the event (shared_message_id, shared_source_id). An
// identifier marked before keeps its first mark.
// Parameters: $space, $marks: [{type, value, since, reason, detail,
//   message_id, source_id}].
// Returns: nothing.
UNWIND $marks AS row
MATCH (i:Identifier {space: $space, type: row.type, value: row.value})
USING INDEX SEEK i:Identifier(space, type, value)
WHERE NOT i:Shared
SET i:Shared, i.since = row.since, i.reason = row.reason, i.detail = row.detail,
    i.shared_message_id = row.message_id, i.shared_source_id = row.source_id
