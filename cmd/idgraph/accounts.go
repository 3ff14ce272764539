package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/cli"
)

const migrateAccountsSynopsis = `[-space ID] [-dry-run] [-actor NAME]

Moves the group_id identifiers that versions before the accounts collection
made of groupId out of the user profiles, one at a time beside live traffic:
each is removed as DELETE .../external_ids/group_id:{id} does (its links cut
and kept as evidence, the people it alone joined split into profiles of
their own, an identifier_removed correction recorded), then deleted; its
account is made from the events that named it and linked to their
profiles. Without -space, every configured space. Run it once after
upgrading; 'idgraph check' flags what is left.

Flags:`

// runMigrateAccounts moves the group_id identifiers of older versions to
// the accounts collection (graph.Store.MigrateAccounts) and prints what it
// did, or with -dry-run what it would do, one line per group id.
func runMigrateAccounts(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("migrate-accounts", migrateAccountsSynopsis)
	spaceID := fs.String("space", "", "the space to migrate (default: every configured space)")
	dryRun := fs.Bool("dry-run", false, "print what the migration would do and write nothing")
	actor := fs.String("actor", defaultActor(c.Env), "who migrates, for the audit trail")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*actor) == "" {
		return cli.UsageErrorf("migrate-accounts: -actor: empty: name who migrates")
	}
	store, spaces, done, err := openStores(ctx, c, *spaceID)
	if err != nil {
		return err
	}
	defer done()
	for _, space := range spaces {
		n, err := store.MigrateAccounts(ctx, space, *actor, *dryRun, func(m idgraph.AccountMigration) {
			printAccountMigration(c.Stdout, space.ID, m, *dryRun)
		})
		if err != nil {
			return err
		}
		switch {
		case *dryRun:
			fmt.Fprintf(c.Stdout, "space %s: %d group ids would move to the accounts collection; dry run, nothing written\n", space.ID, n)
		default:
			fmt.Fprintf(c.Stdout, "space %s: %d group ids moved to the accounts collection\n", space.ID, n)
		}
	}
	return nil
}

// printAccountMigration prints one group id's move: the profile it left
// and what that fell into, and the profiles its account links.
func printAccountMigration(w io.Writer, space string, m idgraph.AccountMigration, dryRun bool) {
	verb := "moved"
	if dryRun {
		verb = "would move"
	}
	var from string
	switch {
	case m.Removal != nil:
		from = fmt.Sprintf(" out of profile %s, which falls into %d", m.ProfileID, len(m.Removal.Parts)-1)
		if m.Removal.CorrectionID != "" {
			from += fmt.Sprintf(" (correction %s)", m.Removal.CorrectionID)
		}
	case m.ProfileID != "":
		from = fmt.Sprintf(" out of profile %s, which held nothing else and goes with it", m.ProfileID)
	}
	fmt.Fprintf(w, "%s: %s:%s %s%s; account %s links %d profiles\n", space, idgraph.TypeGroupID, m.AccountID, verb, from, m.AccountID, len(m.Linked))
}
