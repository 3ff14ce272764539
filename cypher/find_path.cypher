// Finds the shortest chain of OBSERVED_WITH edges between two identifiers of
// one profile, staying inside that profile, with the evidence of each hop:
// the edge's count and sources and its first and last events, looked up by
// their unique key (space, source_id, message_id) among the edge's sources
// and checked to have carried both ends. One row per hop, in order from the
// first identifier to the second; no row when they share no profile or no
// chain of at most 1000 hops joins them. Bounded work: one breadth-first
// shortestPath over the profile's edges, never an enumeration of paths.
// Parameters: $space; $from_type, $from_value; $to_type, $to_value.
// Returns: hop (0-based), from_type, from_value, to_type, to_value, count,
//   source_ids, first_message_id, first_source_id, first_type, first_event,
//   first_timestamp, last_message_id, last_source_id, last_type, last_event,
//   last_timestamp.
MATCH (a:Identifier {space: $space, type: $from_type, value: $from_value})-[:IN_PROFILE]->(p:Profile)
MATCH (b:Identifier {space: $space, type: $to_type, value: $to_value})-[:IN_PROFILE]->(p)
MATCH path = shortestPath((a)-[:OBSERVED_WITH*..1000]-(b))
WHERE all(n IN nodes(path) WHERE (n)-[:IN_PROFILE]->(p))
UNWIND range(0, length(path) - 1) AS hop
WITH hop, nodes(path)[hop] AS x, nodes(path)[hop + 1] AS y, relationships(path)[hop] AS r
OPTIONAL CALL (x, y, r) {
  UNWIND r.source_ids AS sid
  MATCH (e:Event {space: $space, source_id: sid, message_id: r.first_message_id})
  WHERE EXISTS { (e)-[:CARRIED]->(x) } AND EXISTS { (e)-[:CARRIED]->(y) }
  RETURN e AS first
  LIMIT 1
}
OPTIONAL CALL (x, y, r) {
  UNWIND r.source_ids AS sid
  MATCH (e:Event {space: $space, source_id: sid, message_id: r.last_message_id})
  WHERE EXISTS { (e)-[:CARRIED]->(x) } AND EXISTS { (e)-[:CARRIED]->(y) }
  RETURN e AS last
  LIMIT 1
}
RETURN hop, x.type AS from_type, x.value AS from_value, y.type AS to_type, y.value AS to_value,
       r.count AS count, r.source_ids AS source_ids,
       r.first_message_id AS first_message_id, first.source_id AS first_source_id,
       first.type AS first_type, coalesce(first.event, first.name) AS first_event,
       coalesce(first.timestamp, r.first_seen) AS first_timestamp,
       r.last_message_id AS last_message_id, last.source_id AS last_source_id,
       last.type AS last_type, coalesce(last.event, last.name) AS last_event,
       coalesce(last.timestamp, r.last_seen) AS last_timestamp
ORDER BY hop
