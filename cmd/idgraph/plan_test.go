package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/config"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// TestMainPlansTheHotReadsAtStart checks that Run has Neo4j plan the hot
// read queries before it serves, and says so.
func TestMainPlansTheHotReadsAtStart(t *testing.T) {
	cfg, err := config.Load(testEnv(t))
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	var logs syncBuffer
	m := NewMain(cfg, cfg.NewLogger(&logs))
	err = m.Run(context.Background())
	defer m.Close()
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !strings.Contains(logs.String(), `"msg":"read queries planned","queries":6`) {
		t.Errorf("no log line of the 6 read queries planned at start-up in:\n%s", logs.String())
	}
}

// TestPlanDoesNotHoldUpStartUp gives plan a Neo4j that accepts connections
// and never answers: plan returns at its limit and logs a warning naming
// what failed, so start-up goes on.
func TestPlanDoesNotHoldUpStartUp(t *testing.T) {
	db, err := graph.New(graph.Config{URI: graphtest.Silent(t), Username: "neo4j", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	var logs syncBuffer
	m := &Main{Store: graph.NewStore(db), Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	start := time.Now()
	m.plan(context.Background(), 300*time.Millisecond)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("plan took %v with a limit of 300ms", took)
	}
	if got := logs.String(); !strings.Contains(got, `"level":"WARN","msg":"read queries not planned at start-up`) || !strings.Contains(got, "plan find_profile") {
		t.Errorf("no warning naming the query that was not planned in:\n%s", got)
	}
}
