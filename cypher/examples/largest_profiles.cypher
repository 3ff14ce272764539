// The ten largest live profiles, with how many identifiers of each type
// they hold: a first look for over-merging.
// Parameters: $space.
// Returns: profile (id), identifiers (count), types (["type xN"]), merges.
MATCH (p:Profile {space: $space})<-[:IN_PROFILE]-(i:Identifier)
WHERE p.merged_into IS NULL
WITH p, i.type AS type, count(*) AS n
WITH p, sum(n) AS identifiers, collect(type + ' x' + n) AS types
RETURN p.id AS profile, identifiers, types, p.merge_count AS merges
ORDER BY identifiers DESC, profile
LIMIT 10
