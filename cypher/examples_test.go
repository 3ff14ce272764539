package cypher_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestExampleQueriesRun runs every query in examples/ (documented in
// README.md) against the seed story plus a shared device and Segment's limit
// example, with one identifier split out of Jane's profile, and expects each
// to return rows.
func TestExampleQueriesRun(t *testing.T) {
	ctx := context.Background()
	db := graphtest.Open(t)
	store := graph.NewStore(db)
	space := idgraph.Space{ID: graphtest.Space(t), Rules: idgraph.DefaultRules()}
	source := idgraph.Source{ID: "segkicks", Name: "Mobile (segkicks)"}

	var events []idgraph.Event
	files, err := filepath.Glob(filepath.Join("..", "test", "testdata", "seed", "*.ndjson"))
	if err != nil || len(files) != 3 {
		t.Fatalf("seed fixtures: %v %v", files, err)
	}
	var lines []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(strings.TrimSpace(string(data)), "\n")...)
	}
	lines = append(lines,
		`{"type":"identify","messageId":"kid","userId":"kid-7","context":{"device":{"id":"family-tablet","type":"android"}},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"identify","messageId":"dad","userId":"dad-1","context":{"device":{"id":"family-tablet","type":"android"}},"timestamp":"2020-01-01T01:00:00Z"}`,
	)
	for _, l := range lines {
		e, err := idgraph.ParseEvent([]byte(l), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	if _, err := store.Resolve(ctx, space, source, events); err != nil {
		t.Fatal(err)
	}
	// A correction, for the examples about corrections.
	anon, err := idgraph.ParseIdentifier("anonymous_id:anon_789")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Split(ctx, space, anon, idgraph.Split{Identifiers: []idgraph.Identifier{anon}, Reason: "shared browser"}, "ops", false); err != nil {
		t.Fatal(err)
	}

	examples, err := filepath.Glob(filepath.Join("examples", "*.cypher"))
	if err != nil || len(examples) < 5 {
		t.Fatalf("want at least five examples, got %v (%v)", examples, err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range examples {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if !strings.Contains(string(readme), filepath.ToSlash(path)) {
				t.Errorf("README.md does not document %s", path)
			}
			q, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			params := map[string]any{"space": space.ID, "type": "email", "value": "jane.doe@gmail.com"}
			res, err := db.ReadQuery(ctx, filepath.Base(path), string(q), params)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if len(res.Records) == 0 {
				t.Errorf("no rows")
			}
		})
	}
}
