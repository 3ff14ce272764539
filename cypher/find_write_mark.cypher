// Finds the mark of a space's last write, in one row at most: the random
// write_id every write transaction of the space sets when it takes the
// space's lock (lock_space); no row before the space's first write.
// Parameters: $space.
// Returns: write_id.
MATCH (f:Feed {space: $space})
RETURN f.write_id AS write_id
