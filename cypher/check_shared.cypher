// Finds shared identifiers that still join: a :Shared identifier keeps no
// OBSERVED_WITH link (re-homing cut them all, and a later event carrying it
// records a REJECTED link instead) and is the only member of its profile.
// Parameters: $space, $max (rows to return).
// Returns: type, value, reason (the mark's), links (OBSERVED_WITH links
//   left), members (of its profile), profile_id.
MATCH (i:Identifier:Shared {space: $space})-[:IN_PROFILE]->(p:Profile)
WITH i, p, COUNT { (i)-[:OBSERVED_WITH]-() } AS links, COUNT { (p)<-[:IN_PROFILE]-() } AS members
WHERE links > 0 OR members > 1
RETURN i.type AS type, i.value AS value, i.reason AS reason, links, members, p.id AS profile_id
LIMIT $max
