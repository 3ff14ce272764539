// Finds a space's rules versions in the graph, oldest first, or only the
// one numbered $version when it is not null.
// Parameters: $space, $version.
// Returns: version, rules (JSON document), actor, reason, created_at,
//   simulation_id.
MATCH (v:RulesVersion {space: $space})
WHERE $version IS NULL OR v.version = $version
RETURN v.version AS version, v.rules AS rules, v.actor AS actor, v.reason AS reason,
       v.created_at AS created_at, v.simulation_id AS simulation_id
ORDER BY version
