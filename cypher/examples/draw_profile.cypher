// The subgraph of one profile, for Neo4j Browser to draw: its identifiers
// and the evidence edges between them.
// Parameters: $space, $type, $value (an identifier of the profile).
// Returns: p (the profile), i (an identifier of it), r (an OBSERVED_WITH
//   edge from i, or null), j (the identifier r leads to, or null).
MATCH (:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
OPTIONAL MATCH (i)-[r:OBSERVED_WITH]->(j:Identifier)-[:IN_PROFILE]->(p)
RETURN p, i, r, j
