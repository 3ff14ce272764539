package bench

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// benchSpace is one space the run writes, with its keys.
type benchSpace struct {
	id    string
	token string
	keys  map[string]string // write key by source id
}

// configure writes the spaces file (one space per ingest run, two sources
// each) and the child processes' environment.
func (r *runner) configure() error {
	var keys []string
	for _, c := range r.o.Clients {
		keys = append(keys, fmt.Sprintf("c%d", c))
	}
	if k := r.sharedCostKey(); k != "" {
		for _, turn := range sharedCostTurns(k) {
			if turn != k { // k is a client count's run already
				keys = append(keys, turn)
			}
		}
	}
	return r.configureSpaces(append(keys, "load"), true)
}

// configureSpaces writes the spaces file, one space per key (the floor's
// space, which the runner writes itself, also noted when floor), and the
// child processes' environment.
func (r *runner) configureSpaces(keys []string, floor bool) error {
	r.spaces = map[string]*benchSpace{}
	var y strings.Builder
	y.WriteString("# written by idgraph-bench bench for one run\nspaces:\n")
	for _, k := range keys {
		sp := &benchSpace{id: r.o.SpacePrefix + "_" + k, token: "tok_" + secret(), keys: map[string]string{}}
		fmt.Fprintf(&y, "  - id: %s\n    access_tokens: [%q]\n    sources:\n", sp.id, sp.token)
		for _, a := range Apps {
			sp.keys[a.Source] = "wk_" + a.Source + "_" + secret()
			fmt.Fprintf(&y, "      - {id: %s, name: %q, write_key: %q}\n", a.Source, a.Name, sp.keys[a.Source])
		}
		if isSegment(k) {
			y.WriteString("    segment_compatible: true\n")
		}
		r.spaces[k] = sp
		r.rep.Spaces = append(r.rep.Spaces, sp.id)
	}
	if floor {
		r.rep.Spaces = append(r.rep.Spaces, r.o.SpacePrefix+"_floor")
	}
	path := filepath.Join(r.o.Dir, "spaces.yaml")
	if err := os.WriteFile(path, []byte(y.String()), 0o600); err != nil {
		return err
	}
	g := r.o.Graph
	r.env = []string{
		"NEO4J_URI=" + g.URI, "NEO4J_USERNAME=" + g.Username, "NEO4J_PASSWORD=" + g.Password,
		"NEO4J_DATABASE=" + g.Database, "IDGRAPH_ADDR=127.0.0.1:0", "IDGRAPH_CONFIG=" + path,
		"LOG_FORMAT=json", "LOG_LEVEL=info",
	}
	if g.Database == "" {
		r.env[3] = "NEO4J_DATABASE=neo4j"
	}
	return nil
}

func secret() string {
	b := make([]byte, 12)
	_, _ = crand.Read(b)
	return hex.EncodeToString(b)
}

// cleanup stops the server if it still runs and deletes the run's spaces.
func (r *runner) cleanup(ctx context.Context) {
	if r.srv != nil {
		_, _ = r.srv.stop()
	}
	if r.o.Keep {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Minute)
	defer cancel()
	for _, s := range r.rep.Spaces {
		r.logf("deleting space %s", s)
		if err := deleteSpace(ctx, r.db, s); err != nil {
			r.logf("could not delete space %s: %v", s, err)
		}
	}
}
