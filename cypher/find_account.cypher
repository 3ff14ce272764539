// Finds an account of a space by its id (the group calls' groupId).
// Parameters: $space, $id.
// Returns: id, created_at, updated_at, traits (JSON).
MATCH (a:Account {space: $space, id: $id})
RETURN a.id AS id, a.created_at AS created_at, a.updated_at AS updated_at, a.traits AS traits
