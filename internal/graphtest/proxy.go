package graphtest

import (
	"net/url"
	"testing"

	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/faultproxy"
)

// Proxy forwards a loopback port to the test database's Bolt port, so a
// test can play an unreachable Neo4j without stopping the shared server:
// Down closes the port and every connection through it, Up opens the same
// port again.
type Proxy struct {
	tb testing.TB
	px *faultproxy.Proxy
}

// NewProxy starts a proxy to the test database; it is closed when tb ends.
func NewProxy(tb testing.TB) *Proxy {
	tb.Helper()
	u, err := url.Parse(Config(tb).URI)
	if err != nil {
		tb.Fatalf("graphtest: NEO4J_URI: %v", err)
	}
	px, err := faultproxy.New(u.Host)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(px.Close)
	return &Proxy{tb: tb, px: px}
}

// URI is the proxy's Bolt URI (bolt://, one server: no routing).
func (p *Proxy) URI() string { return "bolt://" + p.px.Addr() }

// Config is the test database's Config with the proxy's URI.
func (p *Proxy) Config() graph.Config {
	cfg := Config(p.tb)
	cfg.URI = p.URI()
	return cfg
}

// Down closes the port, so that connecting is refused, and every
// connection through it.
func (p *Proxy) Down() { p.px.Down() }

// Up opens the same port again.
func (p *Proxy) Up() {
	p.tb.Helper()
	if err := p.px.Up(); err != nil {
		p.tb.Fatalf("graphtest: %v", err)
	}
}
