// Records a new rules version of a space; the rules_version_key constraint
// refuses a number already taken.
// Parameters: $space, $version, $rules (JSON document), $actor, $reason,
//   $simulation_id.
// Returns: created_at.
CREATE (v:RulesVersion {space: $space, version: $version, rules: $rules, actor: $actor,
                        reason: $reason, simulation_id: $simulation_id, created_at: datetime()})
RETURN v.created_at AS created_at
