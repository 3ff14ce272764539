package graph

import (
	"context"

	"github.com/idgraph/idgraph"
)

// Writing the accounts collection: the write path calls writeAccounts in
// the batch's transaction, after the profiles and merges are written, and
// idgraph migrate-accounts calls it for the accounts it makes.

// writeAccounts writes what a batch does to accounts (idgraph.AccountChanges):
// the merged profiles' links move to their survivors, the accounts are
// created or locked in id order (after the identifiers and profiles, the
// write path's order) and take the batch's traits, newest value per key
// winning over what they hold, and the new links are made or widened. Like
// the rest of the transaction it recomputes from what it reads, so the
// driver may run it again.
func writeAccounts(ctx context.Context, tx writeTx, space string, ch idgraph.AccountChanges) error {
	if len(ch.Moves) > 0 {
		moves := make([]map[string]any, len(ch.Moves))
		for i, m := range ch.Moves {
			moves[i] = map[string]any{"from": m.From, "into": m.Into}
		}
		if _, err := tx.run(ctx, "move_account_links", map[string]any{"merges": moves}); err != nil {
			return err
		}
	}
	if len(ch.Accounts) > 0 {
		if err := updateAccounts(ctx, tx, space, ch.Accounts); err != nil {
			return err
		}
	}
	if len(ch.Links) == 0 {
		return nil
	}
	links := make([]map[string]any, len(ch.Links))
	for i, l := range ch.Links {
		links[i] = map[string]any{
			"profile_id": l.ProfileID, "account_id": l.AccountID, "first_seen": l.FirstSeen,
			"last_seen": l.LastSeen, "message_id": l.MessageID, "source_id": l.SourceID,
		}
	}
	_, err := tx.run(ctx, "merge_account_links", map[string]any{"space": space, "links": links})
	return err
}

// updateAccounts locks the accounts (sorted by id, creating those that are
// new), folds each one's new traits and times into what it holds, and
// writes them back.
func updateAccounts(ctx context.Context, tx writeTx, space string, accounts []idgraph.Account) error {
	rows := make([]map[string]any, len(accounts))
	for i, a := range accounts {
		rows[i] = map[string]any{"id": a.ID, "created_at": a.CreatedAt}
	}
	records, err := tx.run(ctx, "lock_accounts", map[string]any{"space": space, "accounts": rows})
	if err != nil {
		return err
	}
	stored := make(map[string]idgraph.Account, len(records))
	for _, rec := range records {
		a, err := accountFromRecord(rec)
		if err != nil {
			return err
		}
		stored[a.ID] = a
	}
	for i, a := range accounts {
		old := stored[a.ID]
		traits := old.Traits
		if traits == nil {
			traits = idgraph.Traits{}
		}
		traits.Merge(a.Traits)
		created, updated := a.CreatedAt, a.UpdatedAt
		if !old.CreatedAt.IsZero() && old.CreatedAt.Before(created) {
			created = old.CreatedAt
		}
		if old.UpdatedAt.After(updated) {
			updated = old.UpdatedAt
		}
		rows[i] = map[string]any{"id": a.ID, "created_at": created, "updated_at": updated, "traits": jsonText(traits)}
	}
	_, err = tx.run(ctx, "update_accounts", map[string]any{"space": space, "accounts": rows})
	return err
}
