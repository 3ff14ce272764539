// Which identity rules refused how many links, and an example of each.
// Parameters: $space.
// Returns: rule, links (REJECTED links), events (events that fired them),
//   example ("type:value x type:value").
MATCH (a:Identifier {space: $space})-[r:REJECTED]->(b:Identifier)
RETURN r.rule AS rule, count(r) AS links, sum(r.count) AS events,
       collect(a.type + ':' + a.value + ' x ' + b.type + ':' + b.value)[0] AS example
ORDER BY links DESC
