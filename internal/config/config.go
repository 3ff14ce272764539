// Package config is idgraph's configuration: the environment variables every
// command reads (parsed with caarlos0/env and validated at once) and the
// YAML spaces file they name.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
)

// Config is idgraph's whole configuration, read from the environment.
type Config struct {
	Neo4jURI      string `env:"NEO4J_URI" envDefault:"bolt://127.0.0.1:7687"`
	Neo4jUsername string `env:"NEO4J_USERNAME" envDefault:"neo4j"`
	Neo4jPassword string `env:"NEO4J_PASSWORD"`
	Neo4jDatabase string `env:"NEO4J_DATABASE" envDefault:"neo4j"`
	// Neo4jConnectTimeout and Neo4jRetryTime are Go durations ("2s"),
	// checked by Validate; Graph parses them.
	Neo4jConnectTimeout string `env:"NEO4J_CONNECT_TIMEOUT" envDefault:"2s"`
	Neo4jRetryTime      string `env:"NEO4J_RETRY_TIME" envDefault:"5s"`
	Addr                string `env:"IDGRAPH_ADDR" envDefault:":8080"`
	// SpacesFile is the YAML file that declares the spaces; optional.
	SpacesFile string `env:"IDGRAPH_CONFIG"`
	LogLevel   string `env:"LOG_LEVEL" envDefault:"info"`
	LogFormat  string `env:"LOG_FORMAT" envDefault:"json"`
	// The HTTP server's timeouts (see Vars), and how long a shutdown lets
	// requests finish before it closes what is left.
	ReadTimeout     time.Duration `env:"IDGRAPH_READ_TIMEOUT" envDefault:"20s"`
	WriteTimeout    time.Duration `env:"IDGRAPH_WRITE_TIMEOUT" envDefault:"60s"`
	IdleTimeout     time.Duration `env:"IDGRAPH_IDLE_TIMEOUT" envDefault:"30s"`
	ShutdownTimeout time.Duration `env:"IDGRAPH_SHUTDOWN_TIMEOUT" envDefault:"15s"`
	// RateLimit is each write key's ingestion requests a second, RateBurst
	// how many at once; 0 is no limit.
	RateLimit float64 `env:"IDGRAPH_RATE_LIMIT" envDefault:"0"`
	RateBurst int     `env:"IDGRAPH_RATE_BURST" envDefault:"0"`
	// CacheSize bounds the profile cache, in identifiers (0 turns it off);
	// CacheStaleness is how far a cached lookup may lag another process's
	// writes (see package cache).
	CacheSize      int           `env:"IDGRAPH_CACHE_SIZE" envDefault:"100000"`
	CacheStaleness time.Duration `env:"IDGRAPH_CACHE_STALENESS" envDefault:"1s"`
}

// Var is one environment variable: its name, default and meaning.
type Var struct{ Name, Default, Meaning string }

// Vars documents every variable, in the order of the usage text.
var Vars = []Var{
	{"NEO4J_URI", "bolt://127.0.0.1:7687", "Neo4j address; neo4j:// routes across a cluster"},
	{"NEO4J_USERNAME", "neo4j", "Neo4j user"},
	{"NEO4J_PASSWORD", "", "Neo4j password (never logged)"},
	{"NEO4J_DATABASE", "neo4j", "Neo4j database every query names"},
	{"NEO4J_CONNECT_TIMEOUT", "2s", "how long connecting to Neo4j may take; an unreachable Neo4j then answers 503 at once"},
	{"NEO4J_RETRY_TIME", "5s", "how long a transaction is retried after transient failures such as deadlocks"},
	{"IDGRAPH_ADDR", ":8080", "HTTP listen address, host:port"},
	{"IDGRAPH_CONFIG", "", "path of the YAML spaces file (optional)"},
	{"LOG_LEVEL", "info", "debug, info, warn or error"},
	{"LOG_FORMAT", "json", "json or text"},
	{"IDGRAPH_READ_TIMEOUT", "20s", "longest a request, body included, may take to arrive"},
	{"IDGRAPH_WRITE_TIMEOUT", "60s", "longest from a request's headers to the end of its answer (ingestion waits for the commit, up to 30s)"},
	{"IDGRAPH_IDLE_TIMEOUT", "30s", "longest a keep-alive connection may wait for its next request"},
	{"IDGRAPH_SHUTDOWN_TIMEOUT", "15s", "on SIGTERM, how long requests may finish before the rest are closed"},
	{"IDGRAPH_RATE_LIMIT", "0", "ingestion requests a second per write key, beyond which 429; 0 is no limit"},
	{"IDGRAPH_RATE_BURST", "0", "requests a write key may send at once; 0 is the rate, rounded up"},
	{"IDGRAPH_CACHE_SIZE", "100000", "identifiers the profile cache holds, summed over its profiles; 0 turns the cache off"},
	{"IDGRAPH_CACHE_STALENESS", "1s", "longest a cached profile lookup may lag a write made by another idgraph process on the same Neo4j"},
}

var uriSchemes = []string{"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

// Load parses environ (the process environment, or a map in tests)
// and validates the result. Errors: EINVALID listing every problem.
func Load(environ map[string]string) (Config, error) {
	var cfg Config
	if err := env.ParseWithOptions(&cfg, env.Options{Environment: environ}); err != nil {
		return cfg, idgraph.WrapError(idgraph.EINVALID, err, "configuration: %v", err)
	}
	return cfg, cfg.Validate()
}

// Validate reports every problem at once, each naming its variable.
// Errors: EINVALID.
func (c Config) Validate() error {
	var ps idgraph.Problems
	if u, err := url.Parse(c.Neo4jURI); err != nil {
		ps.Add("NEO4J_URI", "%q is not a URI: want scheme://host:port, scheme one of %s", c.Neo4jURI, strings.Join(uriSchemes, ", "))
	} else if !slices.Contains(uriSchemes, u.Scheme) {
		ps.Add("NEO4J_URI", "scheme %q: want one of %s", u.Scheme, strings.Join(uriSchemes, ", "))
	} else if u.Host == "" {
		ps.Add("NEO4J_URI", "%q names no host", c.Neo4jURI)
	}
	if c.Neo4jUsername == "" {
		ps.Add("NEO4J_USERNAME", "is empty")
	}
	if c.Neo4jDatabase == "" {
		ps.Add("NEO4J_DATABASE", "is empty")
	}
	for _, v := range []struct{ name, value string }{
		{"NEO4J_CONNECT_TIMEOUT", c.Neo4jConnectTimeout},
		{"NEO4J_RETRY_TIME", c.Neo4jRetryTime},
	} {
		if d, err := time.ParseDuration(v.value); err != nil || d <= 0 {
			ps.Add(v.name, "%q: want a positive duration, such as 2s or 500ms", v.value)
		}
	}
	if host, port, err := net.SplitHostPort(c.Addr); err != nil {
		ps.Add("IDGRAPH_ADDR", "%q: want host:port, such as :8080 or 127.0.0.1:8080", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		ps.Add("IDGRAPH_ADDR", "port %q of %q: want a number from 0 to 65535", port, c.Addr)
	} else if strings.ContainsAny(host, " /") {
		ps.Add("IDGRAPH_ADDR", "host %q of %q is not a host name or address", host, c.Addr)
	}
	if c.SpacesFile != "" {
		if fi, err := os.Stat(c.SpacesFile); err != nil {
			ps.Add("IDGRAPH_CONFIG", "file %q: %v", c.SpacesFile, unwrapPathError(err))
		} else if fi.IsDir() {
			ps.Add("IDGRAPH_CONFIG", "%q is a directory, want a YAML file", c.SpacesFile)
		}
	}
	if _, ok := logLevels[strings.ToLower(c.LogLevel)]; !ok {
		ps.Add("LOG_LEVEL", "%q: want debug, info, warn or error", c.LogLevel)
	}
	if f := strings.ToLower(c.LogFormat); f != "json" && f != "text" {
		ps.Add("LOG_FORMAT", "%q: want json or text", c.LogFormat)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"IDGRAPH_READ_TIMEOUT", c.ReadTimeout}, {"IDGRAPH_WRITE_TIMEOUT", c.WriteTimeout},
		{"IDGRAPH_IDLE_TIMEOUT", c.IdleTimeout}, {"IDGRAPH_SHUTDOWN_TIMEOUT", c.ShutdownTimeout}} {
		if d.v <= 0 {
			ps.Add(d.name, "%s: want a positive duration, such as 30s", d.v)
		}
	}
	if c.RateLimit < 0 || math.IsNaN(c.RateLimit) || math.IsInf(c.RateLimit, 0) {
		ps.Add("IDGRAPH_RATE_LIMIT", "%g: want 0 (no limit) or requests a second, such as 50", c.RateLimit)
	}
	if c.RateBurst < 0 {
		ps.Add("IDGRAPH_RATE_BURST", "%d: want 0 or more", c.RateBurst)
	}
	if c.CacheSize < 0 {
		ps.Add("IDGRAPH_CACHE_SIZE", "%d: want 0 (no cache) or a number of identifiers, such as 100000", c.CacheSize)
	}
	if c.CacheStaleness <= 0 {
		ps.Add("IDGRAPH_CACHE_STALENESS", "%s: want a positive duration, such as 1s or 500ms", c.CacheStaleness)
	}
	return ps.Err()
}

// Graph returns the Neo4j connection settings. A duration Validate would
// refuse is left zero, which graph takes as its default.
func (c Config) Graph() graph.Config {
	connect, _ := time.ParseDuration(c.Neo4jConnectTimeout)
	retry, _ := time.ParseDuration(c.Neo4jRetryTime)
	return graph.Config{URI: c.Neo4jURI, Username: c.Neo4jUsername, Password: c.Neo4jPassword, Database: c.Neo4jDatabase,
		ConnectTimeout: connect, RetryTime: retry}
}

// LogValue shows the configuration in logs with the password redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("neo4j_uri", redactURI(c.Neo4jURI)),
		slog.String("neo4j_username", c.Neo4jUsername),
		slog.String("neo4j_password", redact(c.Neo4jPassword)),
		slog.String("neo4j_database", c.Neo4jDatabase),
		slog.String("neo4j_connect_timeout", c.Neo4jConnectTimeout),
		slog.String("neo4j_retry_time", c.Neo4jRetryTime),
		slog.String("addr", c.Addr),
		slog.String("config", c.SpacesFile),
		slog.String("log_level", c.LogLevel),
		slog.String("log_format", c.LogFormat),
		slog.Duration("read_timeout", c.ReadTimeout),
		slog.Duration("write_timeout", c.WriteTimeout),
		slog.Duration("idle_timeout", c.IdleTimeout),
		slog.Duration("shutdown_timeout", c.ShutdownTimeout),
		slog.Float64("rate_limit", c.RateLimit),
		slog.Int("rate_burst", c.RateBurst),
		slog.Int("cache_size", c.CacheSize),
		slog.Duration("cache_staleness", c.CacheStaleness),
	)
}

// String is the configuration for humans, with the password redacted, so
// printing a Config with %v or %+v cannot leak it.
func (c Config) String() string {
	return fmt.Sprintf("NEO4J_URI=%s NEO4J_USERNAME=%s NEO4J_PASSWORD=%s NEO4J_DATABASE=%s NEO4J_CONNECT_TIMEOUT=%s NEO4J_RETRY_TIME=%s IDGRAPH_ADDR=%s IDGRAPH_CONFIG=%s LOG_LEVEL=%s LOG_FORMAT=%s"+
		" IDGRAPH_READ_TIMEOUT=%s IDGRAPH_WRITE_TIMEOUT=%s IDGRAPH_IDLE_TIMEOUT=%s IDGRAPH_SHUTDOWN_TIMEOUT=%s IDGRAPH_RATE_LIMIT=%g IDGRAPH_RATE_BURST=%d"+
		" IDGRAPH_CACHE_SIZE=%d IDGRAPH_CACHE_STALENESS=%s",
		redactURI(c.Neo4jURI), c.Neo4jUsername, redact(c.Neo4jPassword), c.Neo4jDatabase, c.Neo4jConnectTimeout, c.Neo4jRetryTime,
		c.Addr, c.SpacesFile, c.LogLevel, c.LogFormat,
		c.ReadTimeout, c.WriteTimeout, c.IdleTimeout, c.ShutdownTimeout, c.RateLimit, c.RateBurst,
		c.CacheSize, c.CacheStaleness)
}

// GoString keeps %#v from printing the password too.
func (c Config) GoString() string { return "config.Config{" + c.String() + "}" }

func redact(secret string) string {
	if secret == "" {
		return ""
	}
	return "[redacted]"
}

// redactURI hides a password written into the URI's user info.
func redactURI(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "redacted")
	}
	return u.String()
}

var logLevels = map[string]slog.Level{
	"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError,
}

// NewLogger returns the logger the configuration asks for, writing to w.
func (c Config) NewLogger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: logLevels[strings.ToLower(c.LogLevel)]}
	if strings.ToLower(c.LogFormat) == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// unwrapPathError drops the path an *fs.PathError repeats.
func unwrapPathError(err error) error {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
