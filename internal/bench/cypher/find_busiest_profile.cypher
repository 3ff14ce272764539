// Finds the profile of a space whose members carried the most events (an
// event carrying two members counts twice): the longest history a page of
// events is read from.
// Parameters: $space.
// Returns: profile_id, carried.
MATCH (i:Identifier {space: $space})-[:IN_PROFILE]->(p:Profile)
WITH p, sum(COUNT { (i)<-[:CARRIED]-(:Event) }) AS carried
ORDER BY carried DESC, p.id
LIMIT 1
RETURN p.id AS profile_id, carried
