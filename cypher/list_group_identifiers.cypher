// Lists the group_id identifiers of a space (older versions made one of
// every groupId), by value, after a cursor.
// Parameters: $space, $after (value, "" for the first page), $limit.
// Returns: value.
MATCH (i:Identifier {space: $space, type: 'group_id'})
WHERE i.value > $after
RETURN i.value AS value
ORDER BY value
LIMIT $limit
