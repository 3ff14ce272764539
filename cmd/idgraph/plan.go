package main

import (
	"context"
	"time"
)

// plan has Neo4j plan the hot read queries before the server listens
// (graph.Store.Plan), waiting limit at most (Run gives it
// graph.PlanTimeout), and logs what came of it. Start-up goes on either way: planning saves the first requests a
// wait, it is never a reason not to serve.
func (m *Main) plan(ctx context.Context, limit time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	start := time.Now()
	n, err := m.Store.Plan(ctx)
	took := time.Since(start).Milliseconds()
	if err != nil {
		m.Logger.Warn("read queries not planned at start-up; their first requests will plan them",
			"planned", n, "took_ms", took, "error", err)
		return
	}
	m.Logger.Info("read queries planned", "queries", n, "took_ms", took)
}
