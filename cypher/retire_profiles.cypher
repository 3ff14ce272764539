// Marks profiles left without identifiers by a rebuild as merged into the
// profile that took their identifiers, and refreshes the identifier counts
// of the profiles a rebuild changed.
// Parameters: $retired: [{from, into, traits}], $touched: [profile ids].
// Returns: nothing.
CALL (*) {
  UNWIND $retired AS row
  MATCH (a:Profile {id: row.from}), (b:Profile {id: row.into})
  SET a.merged_into = b.id, a.merged_at = datetime(), b.traits = row.traits,
      b.merge_count = coalesce(b.merge_count, 0) + coalesce(a.merge_count, 0) + 1
  CREATE (a)-[:MERGED_INTO {at: datetime(), message_id: 'rebuild', source_id: 'rebuild'}]->(b)
}
CALL (*) {
  UNWIND $touched AS pid
  MATCH (p:Profile {id: pid})
  SET p.identifier_count = COUNT { (p)<-[:IN_PROFILE]-() }
}
