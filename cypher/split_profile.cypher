// Moves the parts of a split profile into profiles of their own: creates
// each new profile with its traits, moves its identifiers' IN_PROFILE (with
// since, the time they joined) and keeps a LEFT record on the old profile
// (when they left, and since when they had been in it).
// Parameters: $space, $profile_id, $at, $correction_id, $parts:
//   [{profile_id, traits (JSON), identifiers: [{type, value}]}].
// Returns: nothing.
MATCH (old:Profile {id: $profile_id})
UNWIND $parts AS part
CREATE (p:Profile {id: part.profile_id, space: $space, created_at: $at, updated_at: $at,
                   merge_count: 0, traits: part.traits, version: 0})
WITH old, p, part
UNWIND part.identifiers AS row
MATCH (i:Identifier {space: $space, type: row.type, value: row.value})-[m:IN_PROFILE]->(old)
USING INDEX SEEK i:Identifier(space, type, value)
CREATE (i)-[:LEFT {at: $at, since: coalesce(m.since, i.first_seen), correction_id: $correction_id}]->(old)
CREATE (i)-[:IN_PROFILE {since: $at}]->(p)
DELETE m
