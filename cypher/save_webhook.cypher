// Records that a webhook delivered every change up to a number, and renews
// its holder's lease; nothing changes unless the holder still has it.
// Parameters: $space, $key, $holder, $seq, $lease_ms.
// Returns: held (false when another holder has the lease now).
MATCH (w:Webhook {space: $space, key: $key})
SET w.seq = CASE WHEN w.holder = $holder THEN $seq ELSE w.seq END
SET w.lease_until = CASE
      WHEN w.holder = $holder THEN datetime() + duration({milliseconds: $lease_ms})
      ELSE w.lease_until END,
    w.delivered_at = CASE WHEN w.holder = $holder THEN datetime() ELSE w.delivered_at END
RETURN w.holder = $holder AS held
