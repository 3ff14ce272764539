// Lists the merges of a space, newest first by (merged_at, merged profile
// id): each merged profile with the one it was merged into, the event that
// merged them (null for a rebuild's) and the identifiers that event carried
// into its profile; only those at or after $since and strictly before
// ($below_at, $below_key). Walks Profile (space, merged_at) backwards and
// stops after $limit.
// Parameters: $space; $since (datetime); $below_at (datetime), $below_key
//   (string); $limit (integer).
// Returns: at, profile_id (the survivor), merged_profile_id, message_id,
//   source_id, event_message_id, event_source_id, event_type, event_event,
//   event_timestamp, identifiers (["type:value"]); the event's columns are
//   null when it is not stored.
MATCH (a:Profile {space: $space})
USING INDEX SEEK a:Profile(space, merged_at)
// The cursor test is a CASE, not an OR, which the planner would split into a
// union that loses the order of the index; ordering by space too (one value)
// lets it take the order from the index and stop at $limit.
WHERE a.merged_at >= $since AND a.merged_at <= $below_at
  AND CASE WHEN a.merged_at < $below_at THEN true ELSE a.id < $below_key END
WITH a
ORDER BY a.space DESC, a.merged_at DESC, a.id DESC
LIMIT $limit
MATCH (a)-[m:MERGED_INTO]->(b:Profile)
OPTIONAL MATCH (e:Event {space: $space, source_id: m.source_id, message_id: m.message_id})
RETURN a.merged_at AS at, b.id AS profile_id, a.id AS merged_profile_id,
       m.message_id AS message_id, m.source_id AS source_id,
       e.message_id AS event_message_id, e.source_id AS event_source_id, e.type AS event_type,
       coalesce(e.event, e.name) AS event_event, e.timestamp AS event_timestamp,
       [s IN e.identifiers WHERE NOT s IN coalesce(e.rejected, [])] AS identifiers
ORDER BY at DESC, merged_profile_id DESC
