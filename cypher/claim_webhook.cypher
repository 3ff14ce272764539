// Takes or renews a holder's lease on a webhook's delivery and answers its
// place in the feed: the number of the last change it delivered. A webhook
// seen for the first time starts at the feed's head. The lease goes to the
// holder when it is free, expired or already the holder's; setting it
// locks the node first, so two processes never both win it.
// Parameters: $space, $key, $holder, $lease_ms.
// Returns: held (true when the holder has the lease), seq.
OPTIONAL MATCH (f:Feed {space: $space})
MERGE (w:Webhook {space: $space, key: $key})
  ON CREATE SET w.seq = coalesce(f.seq, 0), w.created_at = datetime()
SET w.holder = CASE
      WHEN w.holder IS NULL OR w.holder = $holder OR w.lease_until < datetime() THEN $holder
      ELSE w.holder END
SET w.lease_until = CASE
      WHEN w.holder = $holder THEN datetime() + duration({milliseconds: $lease_ms})
      ELSE w.lease_until END
RETURN w.holder = $holder AS held, w.seq AS seq
