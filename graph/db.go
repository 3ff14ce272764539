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
	// ConnectTimeout bounds one TCP connect to Neo4j (a host that does not
	// answer at all); DefaultConnectTimeout when zero. A refused connect
	// fails at once.
	ConnectTimeout time.Duration
	// RetryTime bounds how long a transaction is retried after transient
	// failures such as deadlocks; DefaultRetryTime when zero. An unreachable
	// Neo4j is not retried: the transaction fails at once with EUNAVAILABLE.
	RetryTime time.Duration
}

// DB is a connection pool to one Neo4j database. It is safe for concurrent use.
type DB struct {
	driver   neo4j.DriverWithContext
	database string
	// retryTime bounds the retries of one transaction (see retry).
	retryTime time.Duration
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
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.RetryTime <= 0 {
		cfg.RetryTime = DefaultRetryTime
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI,
		neo4j.BasicAuth(cfg.Username, cfg.Password, ""),
		func(c *config.Config) {
			c.SocketConnectTimeout = cfg.ConnectTimeout
			c.ConnectionAcquisitionTimeout = 30 * time.Second
			// One attempt per driver call: retry decides what is worth
			// another, since the driver would spend its whole budget
			// redialling an unreachable server.
			c.MaxTransactionRetryTime = 0
		})
	if err != nil {
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "neo4j uri %q: %v", safeURI(cfg.URI), err)
	}
	return &DB{
		driver:    driver,
		database:  cfg.Database,
		retryTime: cfg.RetryTime,
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
// driver's errors; op names the operation in error messages. When Neo4j
// cannot be reached it fails at once, without retrying (see retry).
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

// Observe sends the time every managed transaction of db took, each retry
// of one, each write transaction's commit and the ingest path's statements
// to o. Call it before using db.
func (db *DB) Observe(o idgraph.TransactionObserver) { db.observer = o }

// execute runs work in a managed transaction of the given mode, retried
// as retry says and timed as a whole, and translates errors.
func execute[T any](ctx context.Context, db *DB, op string, mode neo4j.AccessMode, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	session := db.session(ctx, mode)
	defer session.Close(context.WithoutCancel(ctx))
	start := time.Now()
	var returned time.Time // when the last run of work returned
	v, err := retry(ctx, db, op, func() (T, error) {
		if mode == neo4j.AccessModeRead {
			return neo4j.ExecuteRead(ctx, session, work)
		}
		return neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (T, error) {
			defer func() { returned = time.Now() }()
			return work(tx)
		})
	})
	err = translate(err, "%s", op)
	if db.observer != nil {
		if mode == neo4j.AccessModeWrite && err == nil {
			db.observer.ObserveCommit(op, time.Since(returned))
		}
		db.observer.ObserveTransaction(op, time.Since(start), err)
	}
	return v, err
}

// Query runs one statement in its own write transaction on db's database
// and returns all its records, retried on transient failures (see retry).
// Query text comes from cypher.Query; values always go in params.
// Errors: ECONFLICT, EUNAVAILABLE, EUNAUTHORIZED, EINTERNAL (see translate).
func (db *DB) Query(ctx context.Context, op, query string, params map[string]any) (*neo4j.EagerResult, error) {
	return db.query(ctx, op, query, params, neo4j.ExecuteQueryWithWritersRouting())
}

// ReadQuery is Query in a read transaction, routed to readers on a cluster.
func (db *DB) ReadQuery(ctx context.Context, op, query string, params map[string]any) (*neo4j.EagerResult, error) {
	return db.query(ctx, op, query, params, neo4j.ExecuteQueryWithReadersRouting())
}

// timed is runFn reporting each statement's time to db's observer as a
// statement of op.
func (db *DB) timed(op string, runFn RunFunc) RunFunc {
	if db.observer == nil {
		return runFn
	}
	return func(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]*neo4j.Record, error) {
		start := time.Now()
		records, err := runFn(ctx, tx, name, params)
		db.observer.ObserveStatement(op, name, time.Since(start))
		return records, err
	}
}

// query is Query and ReadQuery, routed as routing says.
func (db *DB) query(ctx context.Context, op, query string, params map[string]any, routing neo4j.ExecuteQueryConfigurationOption) (*neo4j.EagerResult, error) {
	res, err := retry(ctx, db, op, func() (*neo4j.EagerResult, error) {
		return neo4j.ExecuteQuery(ctx, db.driver, query, params,
			neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(db.database),
			routing,
			neo4j.ExecuteQueryWithBookmarkManager(db.bookmarks))
	})
	if err != nil {
		return nil, translate(err, "%s", op)
	}
	return res, nil
}
