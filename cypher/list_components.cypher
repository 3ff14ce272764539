// Lists, per component labelled by spread_components and per profile that
// holds part of it, how many identifiers and the earliest first sighting.
// Parameters: $space.
// Returns: component, profile_id (null for identifiers without one),
//   created_at, merged (bool), identifiers, first_seen, traits (JSON).
MATCH (i:Identifier {space: $space})
OPTIONAL MATCH (i)-[:IN_PROFILE]->(p:Profile)
RETURN i.component AS component, p.id AS profile_id, p.created_at AS created_at,
       p.merged_into IS NOT NULL AS merged, count(i) AS identifiers,
       min(i.first_seen) AS first_seen, p.traits AS traits
