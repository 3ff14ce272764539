// Everything one person is known by: the profile holding an identifier and
// all its identifiers, with where and when each was first seen.
// Parameters: $space, $type, $value (the identifier).
// Returns: profile (id), type, value, first_source, first_seen.
MATCH (:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
RETURN p.id AS profile, i.type AS type, i.value AS value,
       i.first_source_id AS first_source, i.first_seen AS first_seen
ORDER BY first_seen, type, value
