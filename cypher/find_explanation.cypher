// Finds, in one statement, what an explanation of two identifiers reads:
// the profiles holding them (null for one no profile holds) and the marks
// of those of them that are shared; when one profile holds both (and they
// differ), the shortest chain of OBSERVED_WITH edges between them inside it
// with the evidence of each hop; when two profiles hold them, every
// standing REJECTED link, never decision and cut link between a member of
// one and a member of the other. Each part is a list, empty when it does
// not apply. The parts, one by one:
//   - shared: the :Shared marks of the two, by type and value.
//   - hops: one breadth-first shortestPath of at most 1000 hops over the
//     profile's edges (never an enumeration of paths), each hop with the
//     edge's count and sources and its first and last events, looked up
//     by their unique key (space, source_id, message_id) among the edge's
//     sources and checked to have carried both ends; in order from the
//     first identifier to the second.
//   - rejections (lifted_at null, either direction), decisions (never
//     LINK_DECISIONs between Decided members) and cuts (CUT relationships
//     between members, and the two CUTs of one correction that met at an
//     identifier it took out of the path between them): each walks the
//     members of the smaller profile only and tests the other end by its
//     one IN_PROFILE hop, so the work is bounded however big the other (a
//     kiosk, a QA user). A rejection comes with the event it fired on
//     (looked up by its unique key); decisions named by a manual:never
//     rejection are not here (find_apart_decisions reads them by id).
// Parameters: $space; $from_type, $from_value; $to_type, $to_value.
// Returns: from_profile, to_profile, shared (maps: type, value, since,
//   reason, detail, message_id, source_id), hops (maps: the columns of a
//   hop, from_type, from_value, to_type, to_value, count, source_ids,
//   first_message_id, first_source_id, first_type, first_event,
//   first_timestamp, last_message_id, last_source_id, last_type,
//   last_event, last_timestamp), rejections (maps: from_type, from_value,
//   to_type, to_value, rule, detail, at, count, message_id, source_id,
//   event_type, event_name, event_timestamp), decisions (maps: id, a_type,
//   a_value, b_type, b_value, decision, reason, actor, at), cuts (maps:
//   from_type, from_value, to_type, to_value, count, at, actor, reason,
//   correction_id).
OPTIONAL MATCH (x:Identifier {space: $space, type: $from_type, value: $from_value})-[:IN_PROFILE]->(pa:Profile)
USING INDEX SEEK x:Identifier(space, type, value)
OPTIONAL MATCH (y:Identifier {space: $space, type: $to_type, value: $to_value})-[:IN_PROFILE]->(pb:Profile)
USING INDEX SEEK y:Identifier(space, type, value)
CALL (x, y) {
  UNWIND [x, y] AS i
  WITH DISTINCT i
  WHERE i:Shared
  WITH i
  ORDER BY i.type, i.value
  RETURN collect({type: i.type, value: i.value, since: i.since, reason: i.reason, detail: i.detail,
                  message_id: i.shared_message_id, source_id: i.shared_source_id}) AS shared
}
CALL (x, y, pa, pb) {
  WITH x, y, pa
  WHERE pa = pb AND x <> y
  MATCH path = shortestPath((x)-[:OBSERVED_WITH*..1000]-(y))
  WHERE all(n IN nodes(path) WHERE (n)-[:IN_PROFILE]->(pa))
  UNWIND range(0, length(path) - 1) AS hop
  WITH hop, nodes(path)[hop] AS a, nodes(path)[hop + 1] AS b, relationships(path)[hop] AS r
  OPTIONAL CALL (a, b, r) {
    UNWIND r.source_ids AS sid
    MATCH (e:Event {space: $space, source_id: sid, message_id: r.first_message_id})
    WHERE EXISTS { (e)-[:CARRIED]->(a) } AND EXISTS { (e)-[:CARRIED]->(b) }
    RETURN e AS first
    LIMIT 1
  }
  OPTIONAL CALL (a, b, r) {
    UNWIND r.source_ids AS sid
    MATCH (e:Event {space: $space, source_id: sid, message_id: r.last_message_id})
    WHERE EXISTS { (e)-[:CARRIED]->(a) } AND EXISTS { (e)-[:CARRIED]->(b) }
    RETURN e AS last
    LIMIT 1
  }
  WITH hop, a, b, r, first, last
  ORDER BY hop
  RETURN collect({from_type: a.type, from_value: a.value, to_type: b.type, to_value: b.value,
                  count: r.count, source_ids: r.source_ids,
                  first_message_id: r.first_message_id, first_source_id: first.source_id,
                  first_type: first.type, first_event: coalesce(first.event, first.name),
                  first_timestamp: coalesce(first.timestamp, r.first_seen),
                  last_message_id: r.last_message_id, last_source_id: last.source_id,
                  last_type: last.type, last_event: coalesce(last.event, last.name),
                  last_timestamp: coalesce(last.timestamp, r.last_seen)}) AS hops
}
CALL (pa, pb) {
  WITH pa, pb
  WHERE pa <> pb
  WITH CASE WHEN coalesce(pa.identifier_count, 0) <= coalesce(pb.identifier_count, 0) THEN [pa, pb] ELSE [pb, pa] END AS ps
  WITH ps[0] AS small, ps[1] AS big
  MATCH (small)<-[:IN_PROFILE]-(:Identifier)-[r:REJECTED]-(o:Identifier)
  WHERE r.lifted_at IS NULL AND (o)-[:IN_PROFILE]->(big)
  WITH DISTINCT r
  WITH r, startNode(r) AS a, endNode(r) AS b
  OPTIONAL MATCH (e:Event {space: $space, source_id: r.source_id, message_id: r.message_id})
  WITH r, a, b, e
  ORDER BY r.at, a.type, a.value, b.type, b.value, r.rule
  RETURN collect({from_type: a.type, from_value: a.value, to_type: b.type, to_value: b.value,
                  rule: r.rule, detail: r.detail, at: r.at, count: r.count,
                  message_id: r.message_id, source_id: r.source_id,
                  event_type: e.type, event_name: coalesce(e.event, e.name),
                  event_timestamp: coalesce(e.timestamp, r.at)}) AS rejections
}
CALL (pa, pb) {
  WITH pa, pb
  WHERE pa <> pb
  WITH CASE WHEN coalesce(pa.identifier_count, 0) <= coalesce(pb.identifier_count, 0) THEN [pa, pb] ELSE [pb, pa] END AS ps
  WITH ps[0] AS small, ps[1] AS big
  MATCH (small)<-[:IN_PROFILE]-(:Decided)-[d:LINK_DECISION {decision: 'never'}]-(o:Decided)
  WHERE (o)-[:IN_PROFILE]->(big)
  WITH DISTINCT d
  MATCH (a:Identifier)-[d]->(b:Identifier)
  WITH d, a, b
  ORDER BY d.at, d.id
  RETURN collect({id: d.id, a_type: a.type, a_value: a.value, b_type: b.type, b_value: b.value,
                  decision: d.decision, reason: d.reason, actor: d.actor, at: d.at}) AS decisions
}
CALL (pa, pb) {
  WITH pa, pb
  WHERE pa <> pb
  WITH CASE WHEN coalesce(pa.identifier_count, 0) <= coalesce(pb.identifier_count, 0) THEN [pa, pb] ELSE [pb, pa] END AS ps
  WITH ps[0] AS small, ps[1] AS big
  CALL (small, big) {
    MATCH (small)<-[:IN_PROFILE]-(:Identifier)-[c:CUT]-(o:Identifier)
    WHERE (o)-[:IN_PROFILE]->(big)
    RETURN c
    UNION
    MATCH (small)<-[:IN_PROFILE]-(:Identifier)-[c1:CUT]-(m:Identifier)-[c2:CUT]-(o:Identifier)
    WHERE c2.correction_id = c1.correction_id AND (o)-[:IN_PROFILE]->(big)
      AND NOT (m)-[:IN_PROFILE]->(small) AND NOT (m)-[:IN_PROFILE]->(big)
    UNWIND [c1, c2] AS c
    RETURN c
  }
  WITH DISTINCT c
  WITH c, startNode(c) AS a, endNode(c) AS b
  ORDER BY c.cut_at, a.type, a.value, b.type, b.value
  RETURN collect({from_type: a.type, from_value: a.value, to_type: b.type, to_value: b.value,
                  count: c.count, at: c.cut_at, actor: c.cut_by, reason: c.cut_reason,
                  correction_id: c.correction_id}) AS cuts
}
RETURN pa.id AS from_profile, pb.id AS to_profile, shared, hops, rejections, decisions, cuts
