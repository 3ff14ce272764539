package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
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

// errRollback ends a profiling transaction without committing it.
var errRollback = errors.New("bench: roll back")

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

// profileWritePath profiles the statements of the write path that take
// the most of Neo4j's time (see the statement samples) for one batch of
// events, in one transaction that is rolled back: merge_events (claiming
// and storing the batch's events), find_suppressed, merge_identifiers
// (touching and locking the identifiers), lock_profiles, then write_events.
// The rows are built as graph/resolve.go and resolve_write.go build them
// (TestRunQuick fails when they drift apart); every event's identifiers are
// written as carried.
func profileWritePath(ctx context.Context, db *graph.DB, space, source string, events []idgraph.Event) ([]Plan, error) {
	rules := idgraph.DefaultRules()
	type sighting struct {
		first, last time.Time
		msgID       string
	}
	seen := map[idgraph.Identifier]*sighting{}
	var claimRows, rows, suppressRows, eventRows []map[string]any
	sorted := slices.Clone(events)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].MessageID < sorted[j].MessageID })
	for _, e := range sorted {
		claimRows = append(claimRows, map[string]any{"message_id": e.MessageID, "props": graph.EventProperties(e)})
		ids, _ := rules.Extract(e)
		var carried []map[string]any
		var all []string
		for _, id := range ids {
			carried = append(carried, map[string]any{"type": id.Type, "value": id.Value})
			all = append(all, id.String())
			s := seen[id]
			switch {
			case s == nil:
				seen[id] = &sighting{e.Timestamp, e.Timestamp, e.MessageID}
			case e.Timestamp.Before(s.first):
				s.first, s.msgID = e.Timestamp, e.MessageID
			case e.Timestamp.After(s.last):
				s.last = e.Timestamp
			}
		}
		eventRows = append(eventRows, map[string]any{"message_id": e.MessageID, "identifiers": all, "rejected": []string{}, "carried": carried})
	}
	keys := make([]idgraph.Identifier, 0, len(seen))
	for id := range seen {
		keys = append(keys, id)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Less(keys[j]) })
	for _, id := range keys {
		s := seen[id]
		suppressRows = append(suppressRows, map[string]any{"type": id.Type, "value": id.Value})
		rows = append(rows, map[string]any{
			"type": id.Type, "value": id.Value, "device": id.IsDevice(),
			"first_seen": s.first, "last_seen": s.last, "first_source_id": source, "first_message_id": s.msgID,
		})
	}
	what := fmt.Sprintf("one batch of %d events (%d identifiers) of the workload, sent again under new message ids, on the benchmark graph; rolled back", len(events), len(keys))
	var plans []Plan
	_, err := graph.Write(ctx, db, "profile write path", func(tx neo4j.ManagedTransaction) (struct{}, error) {
		plans = plans[:0]
		steps := []struct {
			name   string
			params map[string]any
		}{
			{"merge_events", map[string]any{"space": space, "source_id": source, "events": claimRows}},
			{"find_suppressed", map[string]any{"space": space, "identifiers": suppressRows}},
			{"merge_identifiers", map[string]any{"space": space, "identifiers": rows}},
		}
		for _, st := range steps {
			p, records, err := profileRun(ctx, tx, st.name, what, st.params)
			if err != nil {
				return struct{}{}, err
			}
			plans = append(plans, p)
			if st.name != "merge_identifiers" {
				continue
			}
			var pids []string
			for _, rec := range records {
				if pid, _, _ := neo4j.GetRecordValue[string](rec, "profile_id"); pid != "" {
					pids = append(pids, pid)
				}
			}
			sort.Strings(pids)
			p, _, err = profileRun(ctx, tx, "lock_profiles", what, map[string]any{"ids": slices.Compact(pids)})
			if err != nil {
				return struct{}{}, err
			}
			plans = append(plans, p)
		}
		p, _, err := profileRun(ctx, tx, "write_events", what, map[string]any{"space": space, "source_id": source, "events": eventRows})
		if err != nil {
			return struct{}{}, err
		}
		plans = append(plans, p)
		return struct{}{}, errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	return plans, nil
}
