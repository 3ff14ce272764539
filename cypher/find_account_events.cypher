// Finds the events that named an account: those that carried its group_id
// identifier (older versions made one of groupId) and those whose groupId
// is its id, oldest first, each with the live profiles holding the user
// identifiers it carried.
// Parameters: $space, $id (the account).
// Returns: message_id, source_id, type, timestamp, traits (JSON),
//   profile_ids.
CALL () {
  MATCH (account:Identifier {space: $space, type: 'group_id', value: $id})<-[:CARRIED]-(e:Event)
  USING INDEX SEEK account:Identifier(space, type, value)
  RETURN e
  UNION
  MATCH (e:Event {space: $space, group_id: $id})
  RETURN e
}
CALL (e) {
  MATCH (e)-[:CARRIED]->(i:Identifier)-[:IN_PROFILE]->(p:Profile)
  WHERE i.type <> 'group_id'
  RETURN collect(DISTINCT p.id) AS profile_ids
}
RETURN e.message_id AS message_id, e.source_id AS source_id, e.type AS type,
       e.timestamp AS timestamp, e.traits AS traits, profile_ids
ORDER BY timestamp, source_id, message_id
