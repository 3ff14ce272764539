// Package api serves idgraph over HTTP with Gin. It depends on the root
// package's interfaces only; cmd/idgraph hands it their implementations.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// Config holds the server's dependencies.
type Config struct {
	// Checker answers GET /readyz. Without one, /readyz reports unavailable.
	Checker idgraph.Checker
	// Logger receives the access log and internal errors; nothing is
	// logged when it is nil.
	Logger *slog.Logger
	// ReadyTimeout bounds one readiness check; 5 s when zero.
	ReadyTimeout time.Duration
	// The Profile API's services (graph.Store is all of them); a route whose
	// service is nil answers 503.
	Profiles     idgraph.ProfileService     // traits, external_ids, metadata, graph
	Events       idgraph.EventService       // events
	Explanations idgraph.ExplanationService // explain
	History      idgraph.HistoryService     // history
	Deletion     idgraph.DeletionService    // DELETE
	Corrections  idgraph.CorrectionService  // split
	Links        idgraph.LinkService        // never and always decisions
	Health       idgraph.HealthService      // a space's health report
	Logs         idgraph.LogService         // merges, rejections, corrections
	Changes      idgraph.ChangeService      // the change feed
	// ChangePoll is how often a long poll of the change feed reads it
	// again for other replicas' changes; 1 s when zero.
	ChangePoll time.Duration
	Accounts   idgraph.AccountService // the accounts collection, users' links
	// Rules answers a space's rules versions; Simulations runs the rule
	// sandbox (sandbox.Sandbox).
	Rules       idgraph.RulesService
	Simulations idgraph.SimulationService
	// Spaces authenticates requests: access tokens open a space's profiles.
	Spaces *idgraph.Spaces
	// Writer commits ingested events (ingest.Writer groups concurrent
	// requests into shared transactions); the ingestion routes answer 503
	// without one. Spaces' write keys select the space and source.
	Writer EventWriter
	// RateLimit bounds each write key's ingestion requests (429 beyond);
	// the zero value is no limit.
	RateLimit RateLimit
	// Metrics are served at /metrics; the server makes its own when nil.
	// Give the same Metrics to the Writer (WriterOptions.Observe) and the
	// graph store so that /metrics shows theirs too.
	Metrics *Metrics
}

// EventWriter commits a request's events: the ingestion routes answer 200
// once Write returns nil. ingest.Writer is one.
type EventWriter interface {
	// Write resolves events from source into space and returns once they
	// are committed, or not written at all: EUNAVAILABLE when the database
	// cannot be reached, EINVALID when the events are at fault. (A large
	// request is written in parts; those before a failure stay written,
	// and a retry counts them as duplicates.)
	Write(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error)
}

// Server is idgraph's HTTP API. Handlers are methods on it.
type Server struct {
	checker      idgraph.Checker
	logger       *slog.Logger
	readyTimeout time.Duration
	engine       *gin.Engine
	profiles     idgraph.ProfileService
	events       idgraph.EventService
	explanations idgraph.ExplanationService
	history      idgraph.HistoryService
	deletion     idgraph.DeletionService
	corrections  idgraph.CorrectionService
	links        idgraph.LinkService
	health       idgraph.HealthService
	logs         idgraph.LogService
	accounts     idgraph.AccountService
	rules        idgraph.RulesService
	simulations  idgraph.SimulationService
	spaces       *idgraph.Spaces
	writer       EventWriter
	limiter      *limiter
	metrics      *Metrics
	// trackingPaths are the Tracking API's routes, long and short, for CORS.
	trackingPaths map[string]bool
	// The change feed, and its long polls' end: draining is done once
	// Drain has called drain.
	changes    idgraph.ChangeService
	changePoll time.Duration
	draining   context.Context
	drain      context.CancelFunc
}

// New returns a Server with every route registered.
func New(cfg Config) *Server {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{
		checker:      cfg.Checker,
		logger:       cfg.Logger,
		readyTimeout: cfg.ReadyTimeout,
		engine:       gin.New(),
		profiles:     cfg.Profiles,
		events:       cfg.Events,
		explanations: cfg.Explanations,
		history:      cfg.History,
		deletion:     cfg.Deletion,
		corrections:  cfg.Corrections,
		links:        cfg.Links,
		health:       cfg.Health,
		logs:         cfg.Logs,
		changes:      cfg.Changes,
		changePoll:   cfg.ChangePoll,
		accounts:     cfg.Accounts,
		rules:        cfg.Rules,
		simulations:  cfg.Simulations,
		spaces:       cfg.Spaces,
		writer:       cfg.Writer,
		limiter:      newLimiter(cfg.RateLimit),
		metrics:      cfg.Metrics,

		trackingPaths: map[string]bool{},
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.readyTimeout <= 0 {
		s.readyTimeout = 5 * time.Second
	}
	if s.changePoll <= 0 {
		s.changePoll = defaultChangePoll
	}
	s.draining, s.drain = context.WithCancel(context.Background())
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	s.engine.HandleMethodNotAllowed = true
	// An identifier value in a profile path may hold any character, "/"
	// included: route on the escaped path, so %2F stays inside its segment;
	// the profile handlers unescape (rawParam).
	s.engine.UseEscapedPath = true
	s.engine.ContextWithFallback = true
	// Client IPs come from the connection, not from headers anyone can set.
	_ = s.engine.SetTrustedProxies(nil)
	s.engine.Use(s.requestID, s.accessLog, s.recovery, s.cors)
	s.routes()
	return s
}

// Handler returns the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// routes registers every route, in one block.
func (s *Server) routes() {
	r := s.engine
	r.Use(s.instrument) // first: it counts and times every route below

	// Operations. /healthz and /readyz answer probes without credentials
	// and tell nothing but up or down; /metrics wants an access token.
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.requireAnyToken, s.serveMetrics)
	r.GET("/openapi.json", s.openapi)

	// The page at /ui/ (static: its data calls send the access token).
	r.GET("/ui/*filepath", s.serveUI)
	r.OPTIONS("/ui/*filepath", s.uiPreflight)

	// Ingestion (Segment's HTTP Tracking API).
	s.ingestRoutes(r)

	// Profile API (Segment's, plus explain, history, graph and DELETE),
	// and its accounts collection.
	s.profileRoutes(r)
	s.accountRoutes(r)

	// Corrections' decisions: never and always links.
	s.linkRoutes(r)

	// A space as a whole: its health report.
	s.healthReportRoutes(r)
	// A space's logs: merges, refused links, corrections.
	s.logRoutes(r)
	// The change feed.
	s.changeRoutes(r)
	// Rules versions and the rule sandbox.
	s.simulationRoutes(r)

	r.NoRoute(s.noRoute)
	r.NoMethod(s.noMethod)
}
