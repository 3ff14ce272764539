// Lists, per live profile and identifier type, the first-seen times of its
// identifiers when there are more than the type's limit (over ever), and
// the profile's merge and identifier counts when over the caps.
// Parameters: $space, $limits: {type: limit}, $default_limit, $max_merges,
//   $max_identifiers.
// Returns: profile_id, type, seen (list of datetimes), merge_count,
//   identifiers.
MATCH (p:Profile {space: $space})<-[:IN_PROFILE]-(i:Identifier)
WHERE p.merged_into IS NULL
WITH p, i.type AS type, collect(i.first_seen) AS seen
WITH p, collect({type: type, seen: seen}) AS types, sum(size(seen)) AS identifiers
UNWIND types AS t
WITH p, t, identifiers
WHERE size(t.seen) > coalesce($limits[t.type], $default_limit)
   OR p.merge_count > $max_merges OR identifiers > $max_identifiers
RETURN p.id AS profile_id, t.type AS type, t.seen AS seen, p.merge_count AS merge_count, identifiers
