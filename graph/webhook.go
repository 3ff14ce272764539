package graph

import (
	"context"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// A webhook's place in its space's feed, and the lease that lets one
// process at a time deliver to it, are kept on a (:Webhook {space, key})
// node (see idgraph.WebhookService).

var _ idgraph.WebhookService = (*Store)(nil)

// ClaimWebhook takes or renews holder's lease on the webhook and answers
// the number of the last change it delivered.
func (s *Store) ClaimWebhook(ctx context.Context, space, key, holder string, lease time.Duration) (int64, bool, error) {
	res, err := s.db.Query(ctx, "claim webhook", cypher.Query("claim_webhook"), map[string]any{
		"space": space, "key": key, "holder": holder, "lease_ms": lease.Milliseconds(),
	})
	if err != nil {
		return 0, false, err
	}
	if len(res.Records) != 1 {
		return 0, false, idgraph.Errorf(idgraph.EINTERNAL, "claim webhook: %d rows, want 1", len(res.Records))
	}
	held, err := value[bool](res.Records[0], "held")
	if err != nil {
		return 0, false, err
	}
	seq, err := value[int64](res.Records[0], "seq")
	return seq, held, err
}

// SaveWebhook records that the webhook delivered every change up to seq,
// unless holder lost its lease (held false).
func (s *Store) SaveWebhook(ctx context.Context, space, key, holder string, seq int64, lease time.Duration) (bool, error) {
	res, err := s.db.Query(ctx, "save webhook", cypher.Query("save_webhook"), map[string]any{
		"space": space, "key": key, "holder": holder, "seq": seq, "lease_ms": lease.Milliseconds(),
	})
	if err != nil || len(res.Records) == 0 {
		return false, err
	}
	return value[bool](res.Records[0], "held")
}

// ReleaseWebhook ends holder's lease on the webhook.
func (s *Store) ReleaseWebhook(ctx context.Context, space, key, holder string) error {
	_, err := s.db.Query(ctx, "release webhook", cypher.Query("release_webhook"),
		map[string]any{"space": space, "key": key, "holder": holder})
	return err
}
