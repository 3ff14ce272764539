package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
	"github.com/idgraph/idgraph/graph"
)

// Plan is Neo4j's PROFILE of one of idgraph's queries (cypher/NAME.cypher)
// run with real parameters on the benchmark graph.
type Plan struct {
	Query   string `json:"query"`
	Context string `json:"context"`
	DBHits  int64  `json:"db_hits"`
	Rows    int64  `json:"rows"`
	Took    string `json:"took"`
	Text    string `json:"plan"`
}

// renderPlan writes a profiled plan as an indented tree: operator, rows,
// db hits, details.
func renderPlan(p neo4j.ProfiledPlan) (string, int64) {
	var b strings.Builder
	var total int64
	var walk func(p neo4j.ProfiledPlan, depth int)
	walk = func(p neo4j.ProfiledPlan, depth int) {
		total += p.DbHits()
		details, _ := p.Arguments()["Details"].(string)
		fmt.Fprintf(&b, "%s%s  rows=%d  db_hits=%d", strings.Repeat("  ", depth), p.Operator(), p.Records(), p.DbHits())
		if details != "" {
			fmt.Fprintf(&b, "  %s", tailOf(strings.Join(strings.Fields(details), " "), 160))
		}
		b.WriteByte('\n')
		for _, c := range p.Children() {
			walk(c, depth+1)
		}
	}
	walk(p, 0)
	return b.String(), total
}

// profileRun runs PROFILE of the named query in tx and returns its plan.
func profileRun(ctx context.Context, tx neo4j.ManagedTransaction, name, what string, params map[string]any) (Plan, []*neo4j.Record, error) {
	start := time.Now()
	res, err := tx.Run(ctx, "PROFILE "+cypher.Query(name), params)
	if err != nil {
		return Plan{}, nil, err
	}
	records, err := res.Collect(ctx)
	if err != nil {
		return Plan{}, nil, err
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return Plan{}, nil, err
	}
	p := Plan{Query: name, Context: what, Took: time.Since(start).Round(10 * time.Microsecond).String()}
	if pp := sum.Profile(); pp != nil {
		p.Text, p.DBHits = renderPlan(pp)
		p.Rows = pp.Records()
	}
	return p, records, nil
}

// profileRead profiles one read query.
func profileRead(ctx context.Context, db *graph.DB, name, what string, params map[string]any) (Plan, error) {
	return graph.Read(ctx, db, "profile "+name, func(tx neo4j.ManagedTransaction) (Plan, error) {
		p, _, err := profileRun(ctx, tx, name, what, params)
		return p, err
	})
}

// profileWritePath profiles every statement of the write path for one
// batch of events: graph.Store.DryResolve resolves the batch on the
// benchmark graph as Resolve would, each statement under PROFILE, and rolls
// the transaction back.
func profileWritePath(ctx context.Context, db *graph.DB, space idgraph.Space, source idgraph.Source, events []idgraph.Event) ([]Plan, error) {
	what := fmt.Sprintf("one batch of %d events of the workload from source %s, sent again under new message ids, resolved on the benchmark graph by graph.Store.DryResolve as Resolve would, then rolled back", len(events), source.ID)
	var plans []Plan
	var current neo4j.ManagedTransaction
	profile := func(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]*neo4j.Record, error) {
		if tx != current { // the driver retried the transaction: start again
			current, plans = tx, nil
		}
		p, records, err := profileRun(ctx, tx, name, what, params)
		if err == nil {
			plans = append(plans, p)
		}
		return records, err
	}
	_, err := graph.NewStore(db).DryResolve(ctx, space, source, events, profile)
	return plans, err
}
