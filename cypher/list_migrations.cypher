// Lists the schema migrations recorded in the graph, in order.
// Parameters: none.
// Returns: version (integer), name (string).
MATCH (m:Migration)
RETURN m.version AS version, m.name AS name
ORDER BY version
