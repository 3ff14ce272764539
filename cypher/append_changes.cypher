// Appends changes to a space's feed, numbered on from its last one. The
// space's Feed node (made on first use) holds the last number; adding to it
// locks it until the transaction ends, so the numbers follow commit order
// with no gaps, and a transaction that rolls back takes its numbers with it.
// Run it last, after every other lock (identifiers, profiles, then the
// feed), so no transaction holding the feed waits on another.
// Parameters: $space, $changes: [{kind, profile_id, identifier ("type:value"),
//   from, into, suppressed, detail (JSON), message_id, source_id,
//   correction_id, actor, reason}], keys without a value left out.
// Returns: last (the number of the last change appended).
MERGE (f:Feed {space: $space})
  ON CREATE SET f.seq = 0
SET f.seq = f.seq + size($changes)
WITH f.seq - size($changes) AS base
UNWIND range(0, size($changes) - 1) AS i
CREATE (c:Change {space: $space, seq: base + i + 1, id: 'chg_' + replace(randomUUID(), '-', ''), at: datetime()})
SET c += $changes[i]
RETURN max(c.seq) AS last
