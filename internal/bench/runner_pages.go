package bench

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// pages times a page of events (events?limit=50) and the metadata route on
// the largest profile of the main graph (the one with the most events: the
// kiosks and QA accounts), at 16 clients, each request naming the profile
// by one of its identifiers in turn: the page must not cost more as the
// profile's history grows.
func (r *runner) pages(ctx context.Context, sp *benchSpace, ps *profiles) error {
	largest, err := busiestProfile(ctx, r, sp.id)
	if err != nil {
		return err
	}
	if len(ps.members[largest]) == 0 {
		return fmt.Errorf("space %s: profile %s has no identifiers", sp.id, largest)
	}
	members := slices.Clone(ps.members[largest])
	slices.SortFunc(members, func(a, b idgraph.Identifier) int { return strings.Compare(a.String(), b.String()) })
	events, err := countProfileEvents(ctx, r, sp.id, members[0])
	if err != nil {
		return err
	}
	n := max(16, r.o.Explains/2)
	base := "http://" + r.srv.addr
	for _, pg := range []struct{ key, name, suffix string }{
		{"events", "events?limit=50", "/events?limit=50"},
		{"metadata", "metadata", "/metadata"},
	} {
		urls := func(i int) string { return profileURL(base, sp.id, members[i%len(members)], pg.suffix) }
		r.logf("pages: %s on the largest profile (%d identifiers, %d events), 16 clients, %d requests", pg.name, len(members), events, n)
		warmed := r.warmUp(ctx, sp, 16, warmUpRequests(16, n), len(members), urls)
		cpu := startCPU(r.pids())
		pctx, cancel := r.phase(ctx)
		res := readLoad(pctx, r.client, sp.token, 16, n, urls)
		cancel()
		used := cpu.Stop()
		r.rep.Failures += res.Failed
		st := res.Latency.stats()
		r.logf("pages: %s: p50 %.2f ms, p99 %.2f ms, %.0f requests/s, %d failed", pg.name, st.P50, st.P99, res.rate(), res.Failed)
		method := fmt.Sprintf("GET .../profiles/{type}:{value}%s on the graph's largest profile, the one whose identifiers carried the most events (%s identifiers, %s events carried to them), naming it by each of its identifiers in turn; %s requests from 16 concurrent clients each waiting for its answer, after an untimed warm-up of %d requests over the same identifiers.",
			pg.suffix, thousands(float64(len(members))), thousands(float64(events)), thousands(float64(res.Requests)), warmed)
		key := "pages." + pg.key
		r.rep.add(Figure{Key: key + ".p50", Section: "Event pages", Name: pg.name + ", largest profile, 16 clients, p50", Value: st.P50, Unit: "ms",
			Method: method + used + r.readProblems(res)})
		f := r.rep.add(Figure{Key: key + ".p99", Section: "Event pages", Name: pg.name + ", largest profile, 16 clients, p99", Value: st.P99, Unit: "ms",
			Method: fmt.Sprintf("same requests (max %.0f ms, %.0f requests/s).", st.Max, res.rate())})
		f.target(false, 25, "ms")
		f.Note = r.sizeNote()
	}
	return nil
}

// busiestProfile returns the profile of space whose members carried the
// most events.
func busiestProfile(ctx context.Context, r *runner, space string) (string, error) {
	res, err := r.db.ReadQuery(ctx, "find busiest profile", query("find_busiest_profile"), map[string]any{"space": space})
	if err != nil {
		return "", err
	}
	if len(res.Records) != 1 {
		return "", fmt.Errorf("space %s holds no profile", space)
	}
	pid, _, err := neo4j.GetRecordValue[string](res.Records[0], "profile_id")
	return pid, err
}

// countProfileEvents counts the events carried to the profile holding id.
func countProfileEvents(ctx context.Context, r *runner, space string, id idgraph.Identifier) (int, error) {
	res, err := r.db.ReadQuery(ctx, "count profile events", query("count_profile_events"),
		map[string]any{"space": space, "type": id.Type, "value": id.Value})
	if err != nil {
		return 0, err
	}
	if len(res.Records) != 1 {
		return 0, fmt.Errorf("count_profile_events returned %d rows", len(res.Records))
	}
	n, _, err := neo4j.GetRecordValue[int64](res.Records[0], "events")
	return int(n), err
}
