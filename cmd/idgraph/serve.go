package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/cache"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/cli"
	"github.com/idgraph/idgraph/internal/config"
	"github.com/idgraph/idgraph/sandbox"
	"github.com/idgraph/idgraph/webhook"
)

// Main wires the program: Neo4j driver, store, group-commit writer, metrics,
// webhook dispatcher and HTTP server. Run starts it, Close stops it; end-to-end tests run it on
// ":0" and read Addr.
type Main struct {
	Config config.Config
	Logger *slog.Logger
	// ShutdownTimeout bounds the wait for in-flight requests on Close.
	ShutdownTimeout time.Duration

	// Out receives what a person starting the server must see once: the
	// keys generated when there is no IDGRAPH_CONFIG. Never the log.
	Out io.Writer

	DB     *graph.DB
	Store  *graph.Store
	Spaces *idgraph.Spaces
	Writer *ingest.Writer
	// Sandbox runs the rule simulations and promotions.
	Sandbox *sandbox.Sandbox
	Server  *api.Server
	// Profiles answers profile lookups and explanations, through the
	// profile cache unless IDGRAPH_CACHE_SIZE is 0 (then it is Store).
	Profiles cache.Store
	// Webhooks delivers each space's change feed to its webhooks.
	Webhooks *webhook.Dispatcher

	http   *http.Server
	ln     net.Listener
	served chan error // the result of http.Server.Serve
}

// NewMain returns a Main for cfg that logs to logger.
func NewMain(cfg config.Config, logger *slog.Logger) *Main {
	return &Main{Config: cfg, Logger: logger, ShutdownTimeout: cfg.ShutdownTimeout}
}

// Run connects to Neo4j, applies the schema, and starts serving HTTP on
// Config.Addr in the background. On error, call Close all the same.
func (m *Main) Run(ctx context.Context) error {
	spaces, err := m.Config.Spaces(m.Out)
	if err != nil {
		return err
	}
	m.Spaces = spaces
	db, err := graph.Open(ctx, m.Config.Graph())
	if err != nil {
		return err
	}
	m.DB = db
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		m.Logger.Info("schema migrated", "applied", applied)
	}

	m.Store = graph.NewStore(db)
	m.plan(ctx, graph.PlanTimeout)

	metrics := api.NewMetrics()
	db.Observe(metrics)
	m.Writer = ingest.NewWriter(m.Store, ingest.WriterOptions{Observe: metrics.ObserveBatch, Logger: m.Logger})
	// Corrections run in the writer's per-space queue, between batches.
	corrector := ingest.NewCorrector(m.Writer, m.Store)
	// Promotions, too: the writer's queue is the space lock.
	m.Sandbox = sandbox.New(m.Store, m.Writer, sandbox.Options{Logger: m.Logger})
	if m.Profiles, err = m.profiles(metrics); err != nil {
		return err
	}
	m.Server = api.New(api.Config{
		Checker:      db,
		Logger:       m.Logger,
		Profiles:     m.Profiles,
		Events:       m.Store,
		Explanations: m.Profiles,
		History:      m.Store,
		Deletion:     m.Store,
		Accounts:     m.Store,
		Corrections:  corrector,
		Links:        corrector,
		Health:       m.Store,
		Logs:         m.Store,
		Changes:      m.Store,
		Rules:        m.Store,
		Simulations:  m.Sandbox,
		Spaces:       m.Spaces,
		Writer:       m.Writer,
		Metrics:      metrics,
		RateLimit:    api.RateLimit{PerSecond: m.Config.RateLimit, Burst: m.Config.RateBurst},
	})

	m.Webhooks = webhook.Start(m.Store, m.Spaces.All(), webhook.Options{Logger: m.Logger})

	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.ln = ln
	// A slow or stalled client holds a connection for ReadTimeout at most,
	// an idle one for IdleTimeout; WriteTimeout bounds a whole exchange.
	m.http = &http.Server{
		Handler:           m.Server.Handler(),
		ReadHeaderTimeout: min(10*time.Second, m.Config.ReadTimeout),
		ReadTimeout:       m.Config.ReadTimeout,
		WriteTimeout:      m.Config.WriteTimeout,
		IdleTimeout:       m.Config.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.http.Serve(api.Listener(ln)) }()
	return nil
}

// Addr returns the address the server listens on ("" before Run), with the
// real port when Config.Addr asked for port 0.
func (m *Main) Addr() string {
	if m.ln == nil {
		return ""
	}
	return m.ln.Addr().String()
}

// Close stops the HTTP server, letting in-flight requests finish for up to
// ShutdownTimeout (the change feed's long polls answer at once) and then
// closing the connections left (slow clients: a shutdown that runs out of
// grace is still a clean one), writes what the writer holds, stops the
// webhook deliveries, then closes the Neo4j driver.
func (m *Main) Close() error {
	var errs []error
	if m.Server != nil {
		m.Server.Drain()
	}
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.ShutdownTimeout)
		defer cancel()
		if err := m.http.Shutdown(ctx); err != nil {
			if !errors.Is(err, context.DeadlineExceeded) {
				errs = append(errs, fmt.Errorf("shut down http: %w", err))
			}
			m.Logger.Warn("closing the connections left after the grace period", "grace", m.ShutdownTimeout.String())
			_ = m.http.Close()
		}
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
		m.http = nil
	}
	if m.Sandbox != nil {
		m.Sandbox.Close()
		m.Sandbox = nil
	}
	if c, ok := m.Profiles.(*cache.Profiles); ok {
		c.Close()
	}
	m.Profiles = nil
	if m.Writer != nil {
		m.Writer.Close()
		m.Writer = nil
	}
	if m.Webhooks != nil {
		m.Webhooks.Close()
		m.Webhooks = nil
	}
	if m.DB != nil {
		if err := m.DB.Close(context.Background()); err != nil {
			errs = append(errs, err)
		}
		m.DB = nil
	}
	return errors.Join(errs...)
}

func runServe(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("serve", "[-addr host:port]")
	addr := fs.String("addr", "", "listen address, overrides IDGRAPH_ADDR")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	if *addr != "" {
		c.Env["IDGRAPH_ADDR"] = *addr
	}
	cfg, err := c.Config()
	if err != nil {
		return err
	}
	logger := cfg.NewLogger(c.Stderr)
	logger.Info("starting", "version", version, "config", cfg)

	m := NewMain(cfg, logger)
	m.Out = c.Stdout
	if err := m.Run(ctx); err != nil {
		_ = m.Close()
		return err
	}
	logger.Info("listening", "addr", m.Addr(), "url", "http://"+m.Addr())

	select {
	case <-ctx.Done():
		logger.Info("shutting down", "reason", context.Cause(ctx).Error())
	case err := <-m.served:
		m.served <- err // for Close
		_ = m.Close()
		return fmt.Errorf("http server stopped: %w", err)
	}
	if err := m.Close(); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// profiles returns the store's profile reads (lookups and explanations)
// behind the profile cache, with its hits and misses counted in metrics and
// the store's writes dropping what they change; the store itself when
// IDGRAPH_CACHE_SIZE is 0.
func (m *Main) profiles(metrics *api.Metrics) (cache.Store, error) {
	if m.Config.CacheSize == 0 {
		return m.Store, nil
	}
	c, err := cache.New(m.Store, m.Store, cache.Options{
		Size: m.Config.CacheSize, Staleness: m.Config.CacheStaleness, Observe: metrics.ObserveCache, Logger: m.Logger,
	})
	if err != nil {
		return nil, err
	}
	m.Store.OnCommit(c.Committed)
	metrics.CacheReads(cache.ReadProfile, cache.ReadExplanation)
	return c, nil
}
