package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
)

// Metrics are idgraph's Prometheus metrics, in a registry of their own (never
// the global one, so that several servers, as in tests, do not collide).
// Their label values come from routes, configured space and source ids and
// operation names, never from request data, so their number stays bounded.
//
// One Metrics serves a process: cmd/idgraph creates it and hands it to the
// server (Config.Metrics), to the ingest.Writer (ingest.WriterOptions.Observe
// = ObserveBatch) and to the graph store, as its
// idgraph.TransactionObserver (graph.DB's Observe).
// Every method is safe for concurrent use; the methods of a nil *Metrics do
// nothing.
type Metrics struct {
	registry *prometheus.Registry

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec

	events     *prometheus.CounterVec
	merges     *prometheus.CounterVec
	rejections *prometheus.CounterVec
	profiles   *prometheus.CounterVec

	batches      *prometheus.CounterVec
	batchEvents  prometheus.Histogram
	batchCallers prometheus.Histogram
	batchWait    prometheus.Histogram

	transactions *prometheus.HistogramVec
	retries      *prometheus.CounterVec
	statements   *prometheus.HistogramVec
	commits      *prometheus.HistogramVec

	health healthGauges // set by the health report (health_report.go)

	cacheLookups *prometheus.CounterVec // the profile cache's (metrics_cache.go)
}

var _ idgraph.TransactionObserver = (*Metrics)(nil)

// Outcomes of an event, the outcome label of idgraph_events_total.
const (
	outcomeLoaded    = "loaded"
	outcomeDuplicate = "duplicate"
	outcomeInvalid   = "invalid"
)

// NewMetrics returns Metrics registered in a new registry, with the Go
// runtime and process collectors.
func NewMetrics() *Metrics {
	latencyBuckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idgraph_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "idgraph_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: latencyBuckets,
		}, []string{"route", "method"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idgraph_events_total",
			Help: "Events received, by space, source and outcome: loaded (committed), duplicate (message id already stored) or invalid (refused as not a valid event).",
		}, []string{"space", "source", "outcome"}),
		merges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idgraph_merges_total",
			Help: "Profiles merged into another, by space.",
		}, []string{"space"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idgraph_rejections_total",
			Help: "Links the rules refused (REJECTED relationships written), by space.",
		}, []string{"space"}),
		profiles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idgraph_profiles_created_total",
			Help: "Profiles created, by space.",
		}, []string{"space"}),
		batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idgraph_writer_batches_total",
			Help: "Batches the writer sent to the store (one transaction each, of one or several sources' events), by space and result (ok or an error code).",
		}, []string{"space", "result"}),
		batchEvents: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "idgraph_writer_batch_events",
			Help:    "Events per writer batch (one transaction).",
			Buckets: []float64{1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500},
		}),
		batchCallers: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "idgraph_writer_batch_callers",
			Help:    "Requests grouped into one writer batch (group commit).",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128},
		}),
		batchWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "idgraph_writer_queue_wait_seconds",
			Help:    "How long a batch's first request queued before the batch was sent.",
			Buckets: latencyBuckets,
		}),
		transactions: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "idgraph_neo4j_transaction_duration_seconds",
			Help:    "Neo4j transaction time, retries included, by operation and result (ok or an error code).",
			Buckets: latencyBuckets,
		}, []string{"op", "result"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idgraph_neo4j_transaction_retries_total",
			Help: "Neo4j transaction functions run again after a transient failure, by operation.",
		}, []string{"op"}),
		statements: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "idgraph_neo4j_statement_duration_seconds",
			Help:    "Time of each statement of the ingest write transaction, from sending it to its last record, by operation and query (a file of cypher/).",
			Buckets: statementBuckets,
		}, []string{"op", "query"}),
		commits: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "idgraph_neo4j_commit_duration_seconds",
			Help:    "Time to commit a write transaction, from the end of its work to Neo4j's acknowledgement, by operation.",
			Buckets: statementBuckets,
		}, []string{"op"}),
		cacheLookups: newCacheLookups(),
	}
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency,
		m.events, m.merges, m.rejections, m.profiles,
		m.batches, m.batchEvents, m.batchCallers, m.batchWait,
		m.transactions, m.retries, m.statements, m.commits, m.cacheLookups,
	)
	m.health = newHealthGauges(m.registry)
	return m
}

// Registry returns the registry the metrics are in, to add more.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// ObserveBatch records one batch of the writer: its size, its events by
// outcome, the merges, rejections and profiles it made. It fits
// ingest.WriterOptions.Observe.
func (m *Metrics) ObserveBatch(b ingest.WriterBatch) {
	if m == nil {
		return
	}
	m.batches.WithLabelValues(b.SpaceID, result(b.Err)).Inc()
	m.batchEvents.Observe(float64(b.Events))
	m.batchCallers.Observe(float64(b.Callers))
	m.batchWait.Observe(b.Waited.Seconds())
	if b.Err != nil {
		return
	}
	for _, src := range b.Sources {
		m.events.WithLabelValues(b.SpaceID, src.SourceID, outcomeLoaded).Add(float64(src.Loaded))
		m.events.WithLabelValues(b.SpaceID, src.SourceID, outcomeDuplicate).Add(float64(src.Events - src.Loaded))
	}
	m.merges.WithLabelValues(b.SpaceID).Add(float64(b.Result.Merges))
	m.rejections.WithLabelValues(b.SpaceID).Add(float64(b.Result.Rejections))
	m.profiles.WithLabelValues(b.SpaceID).Add(float64(b.Result.Profiles))
}

// ObserveTransaction records one Neo4j transaction.
func (m *Metrics) ObserveTransaction(op string, d time.Duration, err error) {
	if m == nil {
		return
	}
	m.transactions.WithLabelValues(op, result(err)).Observe(d.Seconds())
}

// statementBuckets are the buckets of statement and commit times, finer than
// a request's at the low end.
var statementBuckets = []float64{.00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}

// ObserveStatement records one statement of a Neo4j transaction.
func (m *Metrics) ObserveStatement(op, query string, d time.Duration) {
	if m == nil {
		return
	}
	m.statements.WithLabelValues(op, query).Observe(d.Seconds())
}

// ObserveCommit records one commit of a Neo4j write transaction.
func (m *Metrics) ObserveCommit(op string, d time.Duration) {
	if m == nil {
		return
	}
	m.commits.WithLabelValues(op).Observe(d.Seconds())
}

// ObserveRetry records one retry of a Neo4j transaction function.
func (m *Metrics) ObserveRetry(op string) {
	if m == nil {
		return
	}
	m.retries.WithLabelValues(op).Inc()
}

// observeInvalid records events refused as not valid events.
func (m *Metrics) observeInvalid(space, source string, n int) {
	if m == nil || n == 0 {
		return
	}
	m.events.WithLabelValues(space, source, outcomeInvalid).Add(float64(n))
}

// result is the result label of an outcome: "ok" or the error's code.
func result(err error) string {
	if err == nil {
		return "ok"
	}
	return idgraph.ErrorCode(err)
}

// handler serves the metrics that g gathers in the Prometheus text format,
// logging collection errors to logger.
func handler(g prometheus.Gatherer, logger *slog.Logger) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(logger.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// serveMetrics answers GET /metrics.
//
// Unlike /healthz and /readyz, /metrics wants the access token of a space
// as the HTTP Basic username (requireAnyToken, in the routes), and shows
// that space's series alone, with those of no space (spaceGatherer): it
// counts events by space and source, and one tenant may not read another's.
// It shows counts by route, space and source, never an identifier, key or
// token.
func (s *Server) serveMetrics(c *gin.Context) {
	token, _, _ := c.Request.BasicAuth()
	space, _, _ := s.spaces.ByToken(token)
	handler(spaceGatherer{s.metrics.registry, space.ID}, s.logger).ServeHTTP(c.Writer, c.Request)
}

// instrument counts every request by route pattern and status, and times
// it. It runs inside recovery, so a handler that panics is counted here as
// a 500 (the answer recovery then writes).
func (s *Server) instrument(c *gin.Context) {
	start := time.Now()
	panicked := true
	defer func() {
		status := c.Writer.Status()
		if panicked {
			status = http.StatusInternalServerError
		}
		rt, method := route(c), methodLabel(c.Request.Method)
		s.metrics.requests.WithLabelValues(rt, method, strconv.Itoa(status)).Inc()
		s.metrics.latency.WithLabelValues(rt, method).Observe(time.Since(start).Seconds())
	}()
	c.Next()
	panicked = false
}

// methodLabel is a request's method as a label value: anything but the
// standard methods is "other", so that clients cannot add label values.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}
