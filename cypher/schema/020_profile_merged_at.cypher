// Lists the merges of one space by time: a merged profile keeps when it was
// merged (merged_at), one per MERGED_INTO edge.
// Parameters: none.
// Returns: nothing.
CREATE INDEX profile_merged_at IF NOT EXISTS
FOR (p:Profile) ON (p.space, p.merged_at)
