package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
)

// profile runs PROFILE on every statement of the write path for one batch
// (rolled back) and on the read queries of the slowest lookup and
// explanations.
func (r *runner) profile(ctx context.Context, sp *benchSpace) error {
	r.logf("profiling queries")
	source := idgraph.Source{ID: Apps[0].Source}
	batch, err := resentBatch(r.events, source.ID)
	if err != nil {
		return err
	}
	space := idgraph.Space{ID: sp.id, Rules: idgraph.DefaultRules()}
	plans, err := profileWritePath(ctx, r.db, space, source, batch)
	if err != nil {
		// A diagnostic: the figures stand without it.
		r.rep.note("PROFILE of the write path failed: %v", err)
	}
	r.rep.Plans = append(r.rep.Plans, plans...)
	r.profileReads(ctx, sp)
	return nil
}

// resentBatch reads the first batch's worth of source's events from the
// workload, under new message ids, as if sent again.
func resentBatch(file, source string) ([]idgraph.Event, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var batch []idgraph.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), ingest.MaxLineBytes)
	for sc.Scan() && len(batch) < ingest.DefaultMaxBatch {
		if src, _ := SourceOf(appName(sc.Bytes())); src != source {
			continue
		}
		e, err := idgraph.ParseEvent(sc.Bytes(), time.Now())
		if err != nil {
			continue
		}
		e.MessageID += "-profile"
		batch = append(batch, e)
	}
	return batch, sc.Err()
}

// profileReads profiles the read queries of the slowest lookup and
// explanations, with their parameters.
func (r *runner) profileReads(ctx context.Context, sp *benchSpace) {
	params := func(a, b idgraph.Identifier) map[string]any {
		return map[string]any{"space": sp.id, "type": a.Type, "value": a.Value,
			"from_type": a.Type, "from_value": a.Value, "to_type": b.Type, "to_value": b.Value}
	}
	for _, q := range []struct{ name, slowest, what string }{
		{"find_profile", "find_profile", "the identifier of the slowest external_ids request at 16 clients"},
		{"find_explanation", "within", "the pair of the slowest explain within a profile"},
		{"find_explanation", "rejected", "the pair of the slowest explain across a rejected link"},
	} {
		pair, ok := r.slowest[q.slowest]
		if !ok {
			continue
		}
		what := fmt.Sprintf("%s: %s", q.what, pair[0])
		if q.name != "find_profile" {
			what += " → " + pair[1].String()
		}
		p, err := profileRead(ctx, r.db, q.name, what, params(pair[0], pair[1]))
		if err != nil {
			r.rep.note("PROFILE of %s failed: %v", q.name, err)
			continue
		}
		r.rep.Plans = append(r.rep.Plans, p)
	}
}
