package config

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

func TestLoadConfigDefaults(t *testing.T) {
	cfg, err := Load(map[string]string{})
	if err != nil {
		t.Fatalf("Load(empty) = %v, want the defaults", err)
	}
	want := Config{
		Neo4jURI:      "bolt://127.0.0.1:7687",
		Neo4jUsername: "neo4j",
		Neo4jDatabase: "neo4j",
		Addr:          ":8080",
		LogLevel:      "info",
		LogFormat:     "json",

		ReadTimeout:         20 * time.Second,
		WriteTimeout:        60 * time.Second,
		IdleTimeout:         30 * time.Second,
		ShutdownTimeout:     15 * time.Second,
		Neo4jConnectTimeout: "2s",
		Neo4jRetryTime:      "5s",
		CacheSize:           100000,
		CacheStaleness:      time.Second,
	}
	if cfg != want {
		t.Errorf("defaults = %#v, want %#v", cfg, want)
	}
}

func TestLoadConfigReadsEveryVariable(t *testing.T) {
	spaces := filepath.Join(t.TempDir(), "spaces.yaml")
	if err := os.WriteFile(spaces, []byte("spaces: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(map[string]string{
		"NEO4J_URI":      "neo4j+s://db.example.com:7687",
		"NEO4J_USERNAME": "svc",
		"NEO4J_PASSWORD": "hunter2",
		"NEO4J_DATABASE": "identity",
		"IDGRAPH_ADDR":   "127.0.0.1:9000",
		"IDGRAPH_CONFIG": spaces,
		"LOG_LEVEL":      "debug",
		"LOG_FORMAT":     "text",

		"IDGRAPH_READ_TIMEOUT":     "5s",
		"IDGRAPH_WRITE_TIMEOUT":    "2m",
		"IDGRAPH_IDLE_TIMEOUT":     "90s",
		"IDGRAPH_SHUTDOWN_TIMEOUT": "1s",
		"IDGRAPH_RATE_LIMIT":       "12.5",
		"IDGRAPH_RATE_BURST":       "40",
		"NEO4J_CONNECT_TIMEOUT":    "750ms",
		"NEO4J_RETRY_TIME":         "1m",
		"IDGRAPH_CACHE_SIZE":       "500",
		"IDGRAPH_CACHE_STALENESS":  "250ms",
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Config{"neo4j+s://db.example.com:7687", "svc", "hunter2", "identity", "750ms", "1m", "127.0.0.1:9000", spaces, "debug", "text",
		5 * time.Second, 2 * time.Minute, 90 * time.Second, time.Second, 12.5, 40, 500, 250 * time.Millisecond}
	if cfg != want {
		t.Errorf("config = %+v, want %+v", cfg.LogValue(), want.LogValue())
	}
	if g := cfg.Graph(); g.ConnectTimeout != 750*time.Millisecond || g.RetryTime != time.Minute {
		t.Errorf("Graph() timeouts: connect %s, retry %s, want 750ms and 1m", g.ConnectTimeout, g.RetryTime)
	}
}

func TestValidateNamesEachBadVariable(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		env     map[string]string
		field   string
		wantMsg string
	}{
		{"uri scheme", map[string]string{"NEO4J_URI": "http://127.0.0.1:7474"}, "NEO4J_URI", `scheme "http"`},
		{"uri without scheme", map[string]string{"NEO4J_URI": "127.0.0.1:7687"}, "NEO4J_URI", "want scheme://host:port"},
		{"uri without host", map[string]string{"NEO4J_URI": "bolt://"}, "NEO4J_URI", "names no host"},
		{"uri unparsable", map[string]string{"NEO4J_URI": "bolt://[::1"}, "NEO4J_URI", "is not a URI"},
		{"addr without port", map[string]string{"IDGRAPH_ADDR": "localhost"}, "IDGRAPH_ADDR", "want host:port"},
		{"addr with bad port", map[string]string{"IDGRAPH_ADDR": ":http-ish"}, "IDGRAPH_ADDR", "want a number"},
		{"addr with port out of range", map[string]string{"IDGRAPH_ADDR": ":70000"}, "IDGRAPH_ADDR", "want a number"},
		{"config file missing", map[string]string{"IDGRAPH_CONFIG": filepath.Join(dir, "nope.yaml")}, "IDGRAPH_CONFIG", "no such file"},
		{"config file is a directory", map[string]string{"IDGRAPH_CONFIG": dir}, "IDGRAPH_CONFIG", "is a directory"},
		{"log level", map[string]string{"LOG_LEVEL": "verbose"}, "LOG_LEVEL", `"verbose"`},
		{"log format", map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT", `"xml"`},
		{"read timeout zero", map[string]string{"IDGRAPH_READ_TIMEOUT": "0s"}, "IDGRAPH_READ_TIMEOUT", "positive duration"},
		{"write timeout negative", map[string]string{"IDGRAPH_WRITE_TIMEOUT": "-1s"}, "IDGRAPH_WRITE_TIMEOUT", "positive duration"},
		{"idle timeout zero", map[string]string{"IDGRAPH_IDLE_TIMEOUT": "0"}, "IDGRAPH_IDLE_TIMEOUT", "positive duration"},
		{"shutdown timeout zero", map[string]string{"IDGRAPH_SHUTDOWN_TIMEOUT": "0ms"}, "IDGRAPH_SHUTDOWN_TIMEOUT", "positive duration"},
		{"rate negative", map[string]string{"IDGRAPH_RATE_LIMIT": "-1"}, "IDGRAPH_RATE_LIMIT", "want 0"},
		{"rate not a number", map[string]string{"IDGRAPH_RATE_LIMIT": "NaN"}, "IDGRAPH_RATE_LIMIT", "want 0"},
		{"burst negative", map[string]string{"IDGRAPH_RATE_BURST": "-5"}, "IDGRAPH_RATE_BURST", "want 0 or more"},
		{"cache size negative", map[string]string{"IDGRAPH_CACHE_SIZE": "-1"}, "IDGRAPH_CACHE_SIZE", "want 0 (no cache)"},
		{"cache staleness zero", map[string]string{"IDGRAPH_CACHE_STALENESS": "0s"}, "IDGRAPH_CACHE_STALENESS", "want a positive duration"},
		{"connect timeout not a duration", map[string]string{"NEO4J_CONNECT_TIMEOUT": "2"}, "NEO4J_CONNECT_TIMEOUT", "want a positive duration"},
		{"retry time zero", map[string]string{"NEO4J_RETRY_TIME": "0s"}, "NEO4J_RETRY_TIME", "want a positive duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.env)
			ps := problems(t, err)
			if len(ps) != 1 {
				t.Fatalf("got %d problems %v, want 1 about %s", len(ps), ps, tt.field)
			}
			if ps[0].Field != tt.field {
				t.Errorf("problem names %s, want %s", ps[0].Field, tt.field)
			}
			if !strings.Contains(ps[0].Message, tt.wantMsg) {
				t.Errorf("problem message %q, want it to contain %q", ps[0].Message, tt.wantMsg)
			}
		})
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	_, err := Load(map[string]string{
		"NEO4J_URI":      "http://x",
		"IDGRAPH_ADDR":   "nope",
		"IDGRAPH_CONFIG": "/no/such/file.yaml",
		"LOG_LEVEL":      "loud",
		"LOG_FORMAT":     "xml",
	})
	ps := problems(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, p.Field)
	}
	want := []string{"NEO4J_URI", "IDGRAPH_ADDR", "IDGRAPH_CONFIG", "LOG_LEVEL", "LOG_FORMAT"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("problems name %v, want %v", got, want)
	}
}

func TestLoadConfigAcceptsEveryScheme(t *testing.T) {
	for _, scheme := range uriSchemes {
		if _, err := Load(map[string]string{"NEO4J_URI": scheme + "://db:7687"}); err != nil {
			t.Errorf("scheme %s: %v, want it accepted", scheme, err)
		}
	}
}

func TestConfigNeverShowsThePassword(t *testing.T) {
	cfg := Config{Neo4jURI: "bolt://user:uri-secret@db:7687", Neo4jUsername: "neo4j", Neo4jPassword: "s3cret-pw"}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("starting", "config", cfg)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("starting", "config", cfg)
	outputs := map[string]string{
		"json log": buf.String(),
		"%v":       fmt.Sprintf("%v", cfg),
		"%+v":      fmt.Sprintf("%+v", cfg),
		"%#v":      fmt.Sprintf("%#v", cfg),
		//lint:ignore S1025 the test is of what the %s verb prints
		"%s": fmt.Sprintf("%s", cfg),
	}
	for name, out := range outputs {
		for _, secret := range []string{"s3cret-pw", "uri-secret"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s shows the secret %q: %s", name, secret, out)
			}
		}
		if !strings.Contains(out, "redacted") {
			t.Errorf("%s does not say the password is redacted: %s", name, out)
		}
	}
}

// problems returns the field problems of an EINVALID error.
func problems(t *testing.T, err error) idgraph.Problems {
	t.Helper()
	var e *idgraph.Error
	if !errors.As(err, &e) || e.Code != idgraph.EINVALID {
		t.Fatalf("error = %v, want an EINVALID *idgraph.Error", err)
	}
	return e.Problems
}
