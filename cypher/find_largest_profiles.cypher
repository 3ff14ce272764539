// Finds a space's largest live profiles by the identifiers each holds (its
// IN_PROFILE degree), with their merge counts, largest first (ties by id):
// one pass over the space's profiles by the profile_space index, keeping the
// top $limit.
// Parameters: $space, $limit.
// Returns: profile_id, identifiers, merge_count.
MATCH (p:Profile {space: $space})
WHERE p.merged_into IS NULL
WITH p, COUNT { (p)<-[:IN_PROFILE]-() } AS identifiers
WHERE identifiers > 0
ORDER BY identifiers DESC, p.id
LIMIT $limit
RETURN p.id AS profile_id, identifiers, coalesce(p.merge_count, 0) AS merge_count
