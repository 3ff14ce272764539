// The subgraph of one profile, for Neo4j Browser to draw: its identifiers
// and the evidence edges between them.
// $space, $type, $value
MATCH (:Identifier {space: $space, type: $type, value: $value})-[:IN_PROFILE]->(p:Profile)
MATCH (p)<-[:IN_PROFILE]-(i:Identifier)
OPTIONAL MATCH (i)-[r:OBSERVED_WITH]->(j:Identifier)-[:IN_PROFILE]->(p)
RETURN p, i, r, j
