package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// Migrate applies, in order, every schema migration of cypher.Migrations()
// that the graph has not recorded, each statement on its own (schema commands
// cannot share a transaction with writes), then records them as
// (:Migration {version, name, applied_at}). It returns the versions it
// applied; none when the schema is up to date.
//
// It is idempotent and safe when several processes migrate at once: every
// statement says IF NOT EXISTS or fills a property in only where it is
// null (a backfill), a concurrent "equivalent schema rule already
// exists" answer counts as success, and the records are written with MERGE
// only after 005_migration_version makes Migration.version unique. When a
// statement fails, nothing of that run is recorded; the next run applies the
// same statements again, which changes nothing for those that succeeded.
//
// Errors: EUNAVAILABLE, EUNAUTHORIZED, EINTERNAL.
func (db *DB) Migrate(ctx context.Context) (applied []int, err error) {
	done, err := db.recordedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	for _, m := range cypher.Migrations() {
		if done[m.Version] {
			continue
		}
		if err := db.applyMigration(ctx, m); err != nil {
			if !isEquivalentSchema(err) {
				return nil, err
			}
		}
		applied = append(applied, m.Version)
		rows = append(rows, map[string]any{"version": int64(m.Version), "name": m.Name})
	}
	if len(rows) == 0 {
		return nil, nil
	}
	if _, err := db.Query(ctx, "record migrations", cypher.Query("record_migrations"),
		map[string]any{"migrations": rows}); err != nil {
		return nil, err
	}
	return applied, nil
}

// applyMigration runs m's statement as Query does, or, when it commits in
// batches (CALL ... IN TRANSACTIONS, which only an auto-commit transaction
// may run: a backfill over a whole graph), in an auto-commit transaction.
func (db *DB) applyMigration(ctx context.Context, m cypher.Migration) error {
	op := "apply migration " + m.String()
	if !strings.Contains(m.Statement, "IN TRANSACTIONS") {
		_, err := db.Query(ctx, op, m.Statement, nil)
		return err
	}
	session := db.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(context.WithoutCancel(ctx))
	res, err := session.Run(ctx, m.Statement, nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	return translate(err, "%s", op)
}

// Ready returns nil when Neo4j answers and every schema migration is
// recorded. Otherwise it returns an EUNAVAILABLE error whose message gives
// the reason, "neo4j unreachable" or
// "schema not applied: missing 003_event_key, ...". It implements
// idgraph.Checker.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.driver.VerifyConnectivity(ctx); err != nil {
		return notReady(err)
	}
	done, err := db.recordedMigrations(ctx)
	if err != nil {
		return notReady(err)
	}
	if missing := missingMigrations(cypher.Migrations(), done); len(missing) > 0 {
		return idgraph.Errorf(idgraph.EUNAVAILABLE, "schema not applied: missing %s", strings.Join(missing, ", "))
	}
	return nil
}

var _ idgraph.Checker = (*DB)(nil)

// missingMigrations names, in order, the migrations of ms not in done.
func missingMigrations(ms []cypher.Migration, done map[int]bool) []string {
	var missing []string
	for _, m := range ms {
		if !done[m.Version] {
			missing = append(missing, m.String())
		}
	}
	return missing
}

// recordedMigrations returns the versions recorded as applied.
func (db *DB) recordedMigrations(ctx context.Context) (map[int]bool, error) {
	return Read(ctx, db, "list migrations", func(tx neo4j.ManagedTransaction) (map[int]bool, error) {
		res, err := tx.Run(ctx, cypher.Query("list_migrations"), nil)
		if err != nil {
			return nil, err
		}
		records, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		done := make(map[int]bool, len(records))
		for _, rec := range records {
			v, _, err := neo4j.GetRecordValue[int64](rec, "version")
			if err != nil {
				return nil, fmt.Errorf("migration version: %w", err)
			}
			done[int(v)] = true
		}
		return done, nil
	})
}

// notReady rewrites an error met while checking readiness as the
// EUNAVAILABLE error Ready returns, with a reason safe to show a client
// and the driver's error as its cause, for the log.
func notReady(err error) error {
	cause := err
	if e := (*idgraph.Error)(nil); errors.As(err, &e) && e.Err != nil {
		cause = e.Err
	}
	_, reason := classify(cause)
	switch {
	case reason == "":
		reason = "neo4j unreachable"
	case !strings.HasPrefix(reason, "neo4j "):
		reason = "neo4j unreachable: " + reason
	}
	return idgraph.WrapError(idgraph.EUNAVAILABLE, cause, "%s", reason)
}
