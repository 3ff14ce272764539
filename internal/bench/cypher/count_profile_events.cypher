// Counts the distinct events carried to the members of the profile holding
// an identifier: how long the history is that a page reads from.
// Parameters: $space, $type, $value.
// Returns: events.
MATCH (:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
MATCH (p)<-[:IN_PROFILE]-(:Identifier)<-[:CARRIED]-(e:Event)
RETURN count(DISTINCT e) AS events
