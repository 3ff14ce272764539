// Finds the live profile holding an identifier, in one row.
// Parameters: $space, $type, $value.
// Returns: id, created_at, updated_at, merge_count, traits (JSON),
//   members: [[type, value, first_seen, last_seen, first_source_id,
//   first_message_id]] in (type, value) order, shared (the identifier is
//   marked :Shared).
MATCH (x:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK x:Identifier(space, type, value)
MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
WITH x, p, i ORDER BY i.type, i.value
RETURN p.id AS id, p.created_at AS created_at, p.updated_at AS updated_at,
       p.merge_count AS merge_count, p.traits AS traits,
       collect([i.type, i.value, i.first_seen, i.last_seen, i.first_source_id, i.first_message_id]) AS members,
       x:Shared AS shared
