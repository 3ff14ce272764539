// Locks a space's writes until the transaction ends. Every write
// transaction of a space runs it first, before it takes any other lock, so
// the space's writers, in one process or in several replicas, take turns
// instead of deadlocking on shared identifiers. The lock is the space's
// Feed node (made on first use), locked by setting its `locked` flag:
// never `seq`, which a statement would read before the lock is granted and
// write back stale; append_changes, run last, numbers the feed on it, by
// then holding the lock and reading the last committed number. Each lock
// also gives the Feed a new `write_id` (a value never read back, so never
// stale): a replica's profile cache polls it (find_write_mark) to learn
// that another process wrote the space.
// Parameters: $space.
// Returns: nothing.
MERGE (f:Feed {space: $space})
  ON CREATE SET f.seq = 0
SET f.locked = true, f.write_id = randomUUID()
