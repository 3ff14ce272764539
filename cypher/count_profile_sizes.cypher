// Counts a space's live profiles by size, the identifiers each holds (its
// IN_PROFILE degree, read without visiting them): one pass over the space's
// profiles by the profile_space index. Profiles holding nothing are left out.
// Parameters: $space.
// Returns: size, profiles.
MATCH (p:Profile {space: $space})
WHERE p.merged_into IS NULL
WITH COUNT { (p)<-[:IN_PROFILE]-() } AS size
WHERE size > 0
RETURN size, count(*) AS profiles
ORDER BY size
