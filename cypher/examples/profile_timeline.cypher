// One person's events across every source, newest first.
// Parameters: $space, $type, $value (an identifier of the person).
// Returns: at, source, type, name (the track event, or the page or screen
//   name), message_id.
MATCH (:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
MATCH (p)<-[:IN_PROFILE]-(:Identifier)<-[:CARRIED]-(e:Event)
WITH DISTINCT e
RETURN e.timestamp AS at, e.source_id AS source, e.type AS type,
       coalesce(e.event, e.name) AS name, e.message_id AS message_id
ORDER BY at DESC
LIMIT 50
