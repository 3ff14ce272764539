// Counts the REJECTED links of a space by rule and by the UTC day of their
// first refusal (r.at), each link once, over the last $days days of the
// data: the days up to that of the space's latest refusal. One pass over the
// space's identifiers by the identifier_space_type index (the type test lets
// the planner seek it), each REJECTED link from its start node.
// Parameters: $space, $days.
// Returns: rule, day (days since 1970-01-01), refusals.
MATCH (a:Identifier {space: $space})-[r:REJECTED]->()
WHERE a.type IS NOT NULL
WITH r.rule AS rule, r.at.epochSeconds / 86400 AS day, count(*) AS refusals
WITH collect({rule: rule, day: day, refusals: refusals}) AS rows, max(day) AS latest
UNWIND rows AS row
WITH row
WHERE row.day > latest - $days
RETURN row.rule AS rule, row.day AS day, row.refusals AS refusals
ORDER BY day, rule
