// The floor: creates or touches identifiers with a plain MERGE on the
// identifier key, in the sorted order given; no rules, events or profiles.
// Parameters: $space, $identifiers: [{type, value, seen}] sorted by type,
//   value.
// Returns: nothing.
UNWIND $identifiers AS row
MERGE (i:Identifier {space: $space, type: row.type, value: row.value})
  ON CREATE SET i.first_seen = row.seen
SET i.last_seen = row.seen
