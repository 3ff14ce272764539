// Ends a holder's lease on a webhook, so another process may take over its
// delivery at once; another holder's lease is left alone.
// Parameters: $space, $key, $holder.
// Returns: nothing.
MATCH (w:Webhook {space: $space, key: $key})
SET w.holder = CASE WHEN w.holder = $holder THEN null ELSE w.holder END
