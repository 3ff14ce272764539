package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
)

// health times the space's health report on the main graph: idgraph
// health as a process, as check and rebuild are timed, then the store's
// Health in this process, which is the report's queries alone.
func (r *runner) health(ctx context.Context, sp *benchSpace) error {
	r.logf("health: idgraph health -space %s -json", sp.id)
	pctx, cancel := r.phase(ctx)
	took, out, errOut, err := runCommand(pctx, r.o.Binary, r.env, "health", "-space", sp.id, "-json")
	cancel()
	if err != nil {
		return fmt.Errorf("idgraph health: %v\n%s", err, tailOf(errOut, 2000))
	}
	var rep idgraph.HealthReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		return fmt.Errorf("idgraph health -json: %v\n%s", err, tailOf(out, 2000))
	}
	r.rep.add(Figure{Key: "health.command", Section: "Health report", Name: "idgraph health", Value: took.Seconds(), Unit: "s",
		Method: fmt.Sprintf("wall time of `idgraph health -space S -json` on the %s-event graph (process start, connection and schema check included); it reported %s.",
			thousands(float64(r.o.Events)), healthSummary(rep))})

	pctx, cancel = r.phase(ctx)
	start := time.Now()
	_, err = graph.NewStore(r.db).Health(pctx, sp.id)
	inProcess := time.Since(start)
	cancel()
	if err != nil {
		return fmt.Errorf("health report: %w", err)
	}
	r.rep.add(Figure{Key: "health.queries", Section: "Health report", Name: "the report's queries", Value: float64(inProcess.Microseconds()) / 1000, Unit: "ms",
		Method: fmt.Sprintf("`graph.Store.Health` called in the benchmark's process right after the command (so on pages it warmed): its seven queries in one read transaction; the command's own report said %d ms.", rep.TookMS)})
	return nil
}

// healthSummary says what a health report found, in one sentence's worth.
func healthSummary(rep idgraph.HealthReport) string {
	s := fmt.Sprintf("%s profiles, %s identifiers, %s singletons",
		thousands(float64(rep.Profiles)), thousands(float64(rep.Identifiers)), thousands(float64(rep.Singletons)))
	if len(rep.LargestProfiles) > 0 {
		s += fmt.Sprintf(", the largest profile %s identifiers", thousands(float64(rep.LargestProfiles[0].Identifiers)))
	}
	if len(rep.Hubs) > 0 {
		h := rep.Hubs[0]
		s += fmt.Sprintf(", the top hub %s with %s links and %d user ids", h.Identifier, thousands(float64(h.Links)), h.UserIDs)
	}
	merges := 0
	for _, h := range rep.MergesPerHour {
		merges += h.Merges
	}
	s += fmt.Sprintf(", %s merges in its last %d hours", thousands(float64(merges)), idgraph.MergeHours)
	if rep.MergeStorm.Detected {
		return s + fmt.Sprintf(", a merge storm at %s (%d merges over a median of %g)",
			rep.MergeStorm.Hour.Format("2006-01-02 15:04Z"), rep.MergeStorm.Merges, rep.MergeStorm.TrailingMedian)
	}
	return s + ", no merge storm"
}
