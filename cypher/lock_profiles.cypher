// Locks the given profiles in the sorted order given (bumping their version)
// and returns what the rules need of them: one row per profile.
// Parameters: $ids: profile ids, sorted.
// Returns: id, created_at, updated_at, merge_count, traits (JSON),
//   members: [[type, value, first_seen, last_seen, first_source_id,
//   first_message_id]] in (type, value) order.
UNWIND $ids AS pid
MATCH (p:Profile {id: pid})
SET p.version = coalesce(p.version, 0) + 1
WITH p
MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
WITH p, i ORDER BY i.type, i.value
RETURN p.id AS id, p.created_at AS created_at, p.updated_at AS updated_at,
       p.merge_count AS merge_count, p.traits AS traits,
       collect([i.type, i.value, i.first_seen, i.last_seen, i.first_source_id, i.first_message_id]) AS members
