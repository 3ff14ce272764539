// Finds at most $limit members of the live profile holding an identifier, for
// drawing: that identifier first, then the others by (first_seen, type,
// value). Each row also carries the profile id and its member count, so a
// caller knows whether the list was cut. No row when no profile holds it.
// Parameters: $space, $type, $value (the identifier); $limit (integer, >= 1).
// Returns: profile_id, total (members), element_id (valid within the
//   transaction), type, value, first_seen, first_source_id.
MATCH (a:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
USING INDEX SEEK a:Identifier(space, type, value)
MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
WITH p, i, i = a AS start
ORDER BY start DESC, i.first_seen, i.type, i.value
LIMIT $limit
RETURN p.id AS profile_id, COUNT { (p)<-[:IN_PROFILE]-(:Identifier) } AS total,
       elementId(i) AS element_id, i.type AS type, i.value AS value,
       i.first_seen AS first_seen, i.first_source_id AS first_source_id
