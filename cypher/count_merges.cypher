// Counts a space's merges (MERGED_INTO) by the UTC hour of their time (m.at)
// over the last $hours hours of the data: the hours up to that of the
// space's latest merge. One pass over the space's profiles by the
// profile_space index, each merge from the profile merged.
// Parameters: $space, $hours.
// Returns: hour (hours since 1970-01-01 00:00 UTC), merges.
MATCH (:Profile {space: $space})-[m:MERGED_INTO]->()
WITH m.at.epochSeconds / 3600 AS hour, count(*) AS merges
WITH collect({hour: hour, merges: merges}) AS rows, max(hour) AS latest
UNWIND rows AS row
WITH row
WHERE row.hour > latest - $hours
RETURN row.hour AS hour, row.merges AS merges
ORDER BY hour
