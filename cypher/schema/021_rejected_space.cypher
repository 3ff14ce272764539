// Gives every REJECTED link recorded before links carried their space the
// space of its identifiers, so the space's refusal log finds it by index.
// Parameters: none.
// Returns: nothing.
MATCH (a:Identifier)-[r:REJECTED]->()
WHERE r.space IS NULL
SET r.space = a.space
