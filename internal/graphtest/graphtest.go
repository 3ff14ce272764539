// Package graphtest gives tests a real Neo4j: the one helper every test
// package that needs the database uses.
//
// The connection is resolved once per test process, in this order:
//
//  1. NEO4J_URI (with NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) when
//     set: scripts/test sets them for the whole run;
//  2. else, when a Docker engine answers within 3 s, a neo4j:5.26 container
//     started with testcontainers (removed when the process ends);
//  3. else scripts/neo4j start, the local server under .neo4j/, and the
//     variables printed by scripts/neo4j env.
//
// Tests never skip: when no database can be reached they fail with the reason.
// Packages run in parallel against one server, so a test works in its own
// space (Space) and only that space is deleted; the database is never wiped.
package graphtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
	"github.com/idgraph/idgraph/graph"
)

var (
	connOnce sync.Once
	conn     graph.Config
	connErr  error

	sharedOnce sync.Once
	shared     *graph.DB
	sharedErr  error
)

// Config returns the test database's connection settings, the database
// name included. It fails tb when no database can be reached.
func Config(tb testing.TB) graph.Config {
	tb.Helper()
	cfg, err := resolve()
	if err != nil {
		tb.Fatalf("graphtest: %v", err)
	}
	return cfg
}

// Open returns a DB on the test database with the schema applied; it is
// closed when tb ends. It fails tb when no database can be reached.
func Open(tb testing.TB) *graph.DB {
	tb.Helper()
	if _, err := sharedDB(); err != nil {
		tb.Fatalf("graphtest: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := graph.Open(ctx, Config(tb))
	if err != nil {
		tb.Fatalf("graphtest: open neo4j: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(context.Background()); err != nil {
			tb.Errorf("graphtest: close neo4j: %v", err)
		}
	})
	return db
}

// Space returns a space name no other test uses (the test's name, sanitised,
// and a random suffix). Every node whose space property is that name is
// deleted, with its relationships, when tb ends.
func Space(tb testing.TB) string {
	tb.Helper()
	space := spaceName(tb.Name())
	tb.Cleanup(func() {
		if err := DeleteSpace(space); err != nil {
			tb.Errorf("graphtest: delete space %s: %v", space, err)
		}
	})
	return space
}

// DeleteSpace deletes every node of a space with its relationships, in
// batches so a large space does not need one huge transaction.
func DeleteSpace(space string) error {
	db, err := sharedDB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for {
		res, err := db.Query(ctx, "delete space", cypher.Query("delete_space"),
			map[string]any{"space": space, "limit": int64(10000)})
		if err != nil {
			return err
		}
		if len(res.Records) != 1 {
			return fmt.Errorf("delete_space returned %d records, want 1", len(res.Records))
		}
		n, _, err := neo4j.GetRecordValue[int64](res.Records[0], "deleted")
		if err != nil {
			return fmt.Errorf("delete_space: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9]+`)

// spaceName turns a test name into a unique space name of lower-case
// letters, digits and underscores.
func spaceName(testName string) string {
	name := strings.Trim(unsafeChars.ReplaceAllString(strings.ToLower(testName), "_"), "_")
	if len(name) > 40 {
		name = strings.TrimRight(name[:40], "_")
	}
	if name == "" {
		name = "test"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return name + "_" + hex.EncodeToString(b)
}

// sharedDB is the process's own DB, migrated once, used to delete spaces
// (cleanups may run after a test closed its DB) and left open until the
// process ends.
func sharedDB() (*graph.DB, error) {
	sharedOnce.Do(func() {
		cfg, err := resolve()
		if err != nil {
			sharedErr = err
			return
		}
		shared, sharedErr = openMigrated(cfg)
	})
	return shared, sharedErr
}

// openMigrated opens cfg, waiting up to two minutes for a server that is
// still starting, and applies the schema.
func openMigrated(cfg graph.Config) (*graph.DB, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var db *graph.DB
	var err error
	for {
		db, err = graph.Open(ctx, cfg)
		if err == nil {
			break
		}
		if idgraph.ErrorCode(err) != idgraph.EUNAVAILABLE {
			// Retrying bad credentials would trip the server's rate limit.
			return nil, fmt.Errorf("neo4j at %s: %w", cfg.URI, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("neo4j at %s did not answer: %w", cfg.URI, err)
		case <-time.After(time.Second):
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrate neo4j at %s: %w", cfg.URI, err)
	}
	return db, nil
}

func resolve() (graph.Config, error) {
	connOnce.Do(func() { conn, connErr = find() })
	return conn, connErr
}

// find resolves the connection: environment, else Docker, else scripts/neo4j.
func find() (graph.Config, error) {
	if os.Getenv("NEO4J_URI") != "" {
		return fromEnv(os.Getenv), nil
	}
	ok, why := dockerAnswers(3 * time.Second)
	if ok {
		cfg, err := startContainer()
		if err != nil {
			return graph.Config{}, fmt.Errorf("NEO4J_URI is unset and Docker answers, but the neo4j container did not start: %w", err)
		}
		return cfg, nil
	}
	cfg, err := startLocal()
	if err != nil {
		return graph.Config{}, fmt.Errorf("no Neo4j to test against: NEO4J_URI is unset, no Docker engine (%s), and %w", why, err)
	}
	return cfg, nil
}

// fromEnv reads the NEO4J_* variables through getenv.
func fromEnv(getenv func(string) string) graph.Config {
	cfg := graph.Config{
		URI:      getenv("NEO4J_URI"),
		Username: getenv("NEO4J_USERNAME"),
		Password: getenv("NEO4J_PASSWORD"),
		Database: getenv("NEO4J_DATABASE"),
	}
	if cfg.Username == "" {
		cfg.Username = "neo4j"
	}
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	return cfg
}
