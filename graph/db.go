// Package graph implements idgraph's store on Neo4j. Every query is a file in
// cypher/; every error that leaves the package carries a code from the root
// vocabulary (see translate in error.go), never a driver type.
package graph

import (
	"context"
	"net/url"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/idgraph/idgraph"
)

// Config says where Neo4j is and how to log in.
type Config struct {
	// URI is the Bolt address: bolt:// for one server, neo4j:// for a
	// cluster with routing (the +s and +ssc variants use TLS).
	URI      string
	Username string
	Password string
	// Database is the database every query names; "neo4j" when empty.
	Database string
}

// DB is a connection pool to one Neo4j database. It is safe for concurrent use.
type DB struct {
	driver   neo4j.DriverWithContext
	database string
	// bookmarks chains every session of this DB causally, so a read sees the
	// writes this process committed before it, on a cluster too.
	bookmarks neo4j.BookmarkManager
	observer  idgraph.TransactionObserver
}

// Open connects to Neo4j and checks that it answers. It returns EUNAVAILABLE
// when the server cannot be reached, EUNAUTHORIZED when it refuses the
// credentials and EINVALID when the URI is malformed.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if err := db.driver.VerifyConnectivity(ctx); err != nil {
		_ = db.Close(context.WithoutCancel(ctx))
		return nil, translate(err, "connect to neo4j at %s", safeURI(cfg.URI))
	}
	return db, nil
}

// New returns a DB without contacting the server: connections are made when
// first needed, so it suits a process that must start while Neo4j is still
// down. It returns EINVALID when the URI is malformed.
func New(cfg Config) (*DB, error) {
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI,
		neo4j.BasicAuth(cfg.Username, cfg.Password, ""),
		func(c *config.Config) {
			c.SocketConnectTimeout = 5 * time.Second
			c.ConnectionAcquisitionTimeout = 30 * time.Second
			c.MaxTransactionRetryTime = 15 * time.Second
		})
	if err != nil {
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "neo4j uri %q: %v", safeURI(cfg.URI), err)
	}
	return &DB{
		driver:    driver,
		database:  cfg.Database,
		bookmarks: driver.ExecuteQueryBookmarkManager(),
	}, nil
}

// safeURI drops any user info from a URI, so messages never show a password.
func safeURI(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = nil
	return u.String()
}

// Close closes every connection of the pool.
func (db *DB) Close(ctx context.Context) error {
	return translate(db.driver.Close(ctx), "close neo4j driver")
}

// Database returns the name of the database every query of db runs in.
func (db *DB) Database() string { return db.database }

// session opens a session on db's database in the given mode.
func (db *DB) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return db.driver.NewSession(ctx, neo4j.SessionConfig{
		AccessMode:      mode,
		DatabaseName:    db.database,
		BookmarkManager: db.bookmarks,
	})
}

// Read runs work in a read transaction on db's database, retrying it on
// transient failures (so work must be safe to run twice), and translates the
// driver's errors; op names the operation in error messages.
//
// Errors: an *idgraph.Error that work returned, unchanged; else ECONFLICT,
// EUNAVAILABLE, EUNAUTHORIZED or EINTERNAL (see translate).
func Read[T any](ctx context.Context, db *DB, op string, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	return execute(ctx, db, op, neo4j.AccessModeRead, work)
}

// Write runs work in a write transaction on db's database, retrying it on
// transient failures such as deadlocks after a short jittered pause
// (retry.go; so work must be safe to run twice: it recomputes from what it
// reads), and translates the driver's errors.
// Errors: as Read.
func Write[T any](ctx context.Context, db *DB, op string, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	return execute(ctx, db, op, neo4j.AccessModeWrite, work)
}

// Observe sends the time every managed transaction of db took, and each
// retry the driver made of one, to o. Call it before using db.
func (db *DB) Observe(o idgraph.TransactionObserver) { db.observer = o }

// execute runs work in a managed transaction of the given mode, counting the
// driver's retries and timing the whole, and translates errors.
func execute[T any](ctx context.Context, db *DB, op string, mode neo4j.AccessMode, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	session := db.session(ctx, mode)
	defer session.Close(context.WithoutCancel(ctx))
	attempts := 0
	counted := func(tx neo4j.ManagedTransaction) (T, error) {
		attempts++
		if attempts > 1 && db.observer != nil {
			db.observer.ObserveRetry(op)
		}
		return work(tx)
	}
	start := time.Now()
	var v T
	var err error
	if mode == neo4j.AccessModeRead {
		v, err = neo4j.ExecuteRead(ctx, session, counted)
	} else {
		v, err = writeRetrying(ctx, session, counted) // retry.go: our backoff, not the driver's
	}
	err = translate(err, "%s", op)
	if db.observer != nil {
		db.observer.ObserveTransaction(op, time.Since(start), err)
	}
	return v, err
}

// Query runs one statement in its own write transaction on db's database
// and returns all its records; the driver retries it on transient failures.
// Query text comes from cypher.Query; values always go in params.
// Errors: ECONFLICT, EUNAVAILABLE, EUNAUTHORIZED, EINTERNAL (see translate).
func (db *DB) Query(ctx context.Context, op, query string, params map[string]any) (*neo4j.EagerResult, error) {
	res, err := neo4j.ExecuteQuery(ctx, db.driver, query, params,
		neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database),
		neo4j.ExecuteQueryWithWritersRouting(),
		neo4j.ExecuteQueryWithBookmarkManager(db.bookmarks))
	if err != nil {
		return nil, translate(err, "%s", op)
	}
	return res, nil
}

// ReadQuery is Query in a read transaction, routed to readers on a cluster.
func (db *DB) ReadQuery(ctx context.Context, op, query string, params map[string]any) (*neo4j.EagerResult, error) {
	res, err := neo4j.ExecuteQuery(ctx, db.driver, query, params,
		neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database),
		neo4j.ExecuteQueryWithReadersRouting(),
		neo4j.ExecuteQueryWithBookmarkManager(db.bookmarks))
	if err != nil {
		return nil, translate(err, "%s", op)
	}
	return res, nil
}
