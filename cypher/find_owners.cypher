// Finds the profiles holding two identifiers (null for one no profile holds).
// Parameters: $space; $from_type, $from_value; $to_type, $to_value.
// Returns: from_profile, to_profile.
OPTIONAL MATCH (:Identifier {space: $space, type: $from_type, value: $from_value})-[:IN_PROFILE]->(a:Profile)
OPTIONAL MATCH (:Identifier {space: $space, type: $to_type, value: $to_value})-[:IN_PROFILE]->(b:Profile)
RETURN a.id AS from_profile, b.id AS to_profile
