// Finds the never and always decisions naming a member of the given
// profiles, each once: only members labelled Decided are looked at.
// Parameters: $profile_ids.
// Returns: id, a_type, a_value, b_type, b_value, decision, reason, actor, at.
UNWIND $profile_ids AS pid
MATCH (:Profile {id: pid})<-[:IN_PROFILE]-(:Decided)-[d:LINK_DECISION]-()
WITH DISTINCT d
MATCH (a:Identifier)-[d]->(b:Identifier)
RETURN d.id AS id, a.type AS a_type, a.value AS a_value, b.type AS b_type, b.value AS b_value,
       d.decision AS decision, d.reason AS reason, d.actor AS actor, d.at AS at
