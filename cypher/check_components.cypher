// Compares profiles with the components labelled by spread_components: a
// profile must hold exactly one component, and a component lie in exactly
// one profile.
// Parameters: $space, $max.
// Returns: kind ("split" | "joined"), key (profile id or component label),
//   count, sample (up to five profile ids or identifiers).
CALL (*) {
  MATCH (p:Profile {space: $space})<-[:IN_PROFILE]-(i:Identifier)
  WITH p, count(DISTINCT i.component) AS n, collect(DISTINCT i.type + ':' + i.value)[..5] AS sample
  WHERE n > 1
  RETURN 'split' AS kind, p.id AS key, n AS count, sample
  UNION ALL
  MATCH (i:Identifier {space: $space})-[:IN_PROFILE]->(p:Profile)
  WITH i.component AS component, count(DISTINCT p) AS n, collect(DISTINCT p.id)[..5] AS sample
  WHERE n > 1
  RETURN 'joined' AS kind, component AS key, n AS count, sample
}
RETURN kind, key, count, sample
LIMIT $max
