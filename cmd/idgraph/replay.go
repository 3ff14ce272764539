package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
	"github.com/idgraph/idgraph/internal/cli"
	"github.com/idgraph/idgraph/sandbox"
)

// runReplay simulates candidate rules (-rules, a YAML or JSON rules
// document as a space's rules in the spaces file) over the stored events
// of a space, prints the difference as a table, and with -promote makes
// them the active version. Progress goes to standard error: a bar on a
// terminal, a line per tenth otherwise.
func runReplay(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("replay", "-space ID -rules FILE [-promote] [-reason TEXT]")
	spaceID := fs.String("space", "", "the space whose events to replay (required)")
	rulesFile := fs.String("rules", "", "the candidate rules, YAML or JSON (required)")
	promote := fs.Bool("promote", false, "make the candidate rules the active version once simulated")
	reason := fs.String("reason", "", "why, for the rules' history")
	actor := fs.String("actor", defaultActor(c.Env), "who changes the rules, for the audit trail")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	var ps idgraph.Problems
	if *spaceID == "" {
		ps.Add("-space", "missing: name the space to replay")
	}
	if *rulesFile == "" {
		ps.Add("-rules", "missing: name the file of candidate rules")
	}
	if err := ps.Err(); err != nil {
		return cli.UsageErrorf("%s", idgraph.ErrorMessage(err))
	}
	data, err := os.ReadFile(*rulesFile)
	if err != nil {
		return cli.UsageErrorf("-rules: %v", err)
	}
	rules, err := idgraph.ParseRules(data)
	if err != nil {
		return err
	}
	store, space, done, err := openStore(ctx, c, *spaceID)
	if err != nil {
		return err
	}
	defer done()
	// The space lock of this process; a server running beside it keeps
	// writing, and its events are caught up before the switch.
	writer := ingest.NewWriter(store, ingest.WriterOptions{})
	defer writer.Close()
	box := sandbox.New(store, writer, sandbox.Options{})
	defer box.Close()

	bar := newProgressBar(c.Stderr)
	sim, err := box.Simulate(ctx, space, rules, *actor, *reason)
	if err != nil {
		return err
	}
	if sim, err = waitSimulation(ctx, box, sim, idgraph.SimulationRunning, bar); err != nil {
		return err
	}
	if sim.State != idgraph.SimulationDone {
		return idgraph.Errorf(idgraph.EINTERNAL, "simulation failed: %s", sim.Error)
	}
	printDifference(c.Stdout, sim)
	if !*promote {
		fmt.Fprintf(c.Stdout, "nothing changed; run again with -promote to make these rules version %d\n", sim.BaseVersion+1)
		return nil
	}
	if sim, err = box.Promote(ctx, space, sim.ID, *actor); err != nil {
		return err
	}
	if sim, err = waitSimulation(ctx, box, sim, idgraph.SimulationPromoting, bar); err != nil {
		return err
	}
	if sim.State != idgraph.SimulationPromoted {
		return idgraph.Errorf(idgraph.EINTERNAL, "%s", sim.Error)
	}
	p := sim.Promotion
	fmt.Fprintf(c.Stdout, "promoted: rules version %d of space %s is active; %d profiles (%d kept their id, %d new, %d retired), %d events caught up (%s)\n",
		sim.Version, space.ID, p.Profiles, p.Kept, p.Created, p.Retired, p.CaughtUp, p.Took.Round(time.Millisecond))
	return nil
}

// waitSimulation polls sim until it leaves state, drawing its progress.
func waitSimulation(ctx context.Context, box *sandbox.Sandbox, sim idgraph.Simulation, state idgraph.SimulationStatus, bar *progressBar) (idgraph.Simulation, error) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for sim.State == state {
		select {
		case <-ctx.Done():
			return sim, ctx.Err()
		case <-tick.C:
		}
		var err error
		if sim, err = box.Simulation(ctx, sim.Space, sim.ID); err != nil {
			return sim, err
		}
		bar.show(sim.Progress)
	}
	bar.end()
	return sim, nil
}

// progressBar draws progress on a terminal in place; elsewhere it prints a
// line when the stage changes and at every tenth.
type progressBar struct {
	w        io.Writer
	terminal bool
	stage    string
	tenth    int
	drawn    bool
}

func newProgressBar(w io.Writer) *progressBar {
	b := &progressBar{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.terminal = true
		}
	}
	return b
}

func (b *progressBar) show(p idgraph.SimulationProgress) {
	frac := 0.0
	if p.Total > 0 {
		frac = float64(p.Done) / float64(p.Total)
	}
	if b.terminal {
		const width = 30
		n := int(frac * width)
		fmt.Fprintf(b.w, "\r%-24s [%s%s] %3.0f%% %d/%d ", p.Stage, strings.Repeat("#", n), strings.Repeat(".", width-n), frac*100, p.Done, p.Total)
		b.drawn = true
		return
	}
	if tenth := int(frac * 10); p.Stage != b.stage || tenth != b.tenth {
		b.stage, b.tenth = p.Stage, tenth
		fmt.Fprintf(b.w, "%s: %d/%d\n", p.Stage, p.Done, p.Total)
	}
}

func (b *progressBar) end() {
	if b.drawn {
		fmt.Fprintln(b.w)
		b.drawn = false
	}
}

// printDifference prints a simulation's difference as tables.
func printDifference(w io.Writer, sim idgraph.Simulation) {
	d := sim.Difference
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "simulation %s of space %s: %d events replayed under the candidate rules\n\n", sim.ID, sim.Space, d.Events)
	fmt.Fprintf(tw, "\tbefore\tafter\n")
	fmt.Fprintf(tw, "profiles\t%d\t%d\n", d.ProfilesBefore, d.ProfilesAfter)
	rules := map[string]bool{}
	for r := range d.RefusalsBefore {
		rules[r] = true
	}
	for r := range d.RefusalsAfter {
		rules[r] = true
	}
	names := make([]string, 0, len(rules))
	for r := range rules {
		names = append(names, r)
	}
	sort.Strings(names)
	for _, r := range names {
		fmt.Fprintf(tw, "refused by %s\t%d\t%d\n", r, d.RefusalsBefore[r], d.RefusalsAfter[r])
	}
	for i := range max(len(d.LargestBefore), len(d.LargestAfter)) {
		var b, a string
		if i < len(d.LargestBefore) {
			b = fmt.Sprintf("%s (%d)", d.LargestBefore[i].ProfileID, d.LargestBefore[i].Identifiers)
		}
		if i < len(d.LargestAfter) {
			a = fmt.Sprintf("%s (%d)", d.LargestAfter[i].ProfileID, d.LargestAfter[i].Identifiers)
		}
		fmt.Fprintf(tw, "largest #%d\t%s\t%s\n", i+1, b, a)
	}
	fmt.Fprintf(tw, "\nmerges gained\t%d\nmerges lost\t%d\nidentifiers moved\t%d\n", d.MergesGained, d.MergesLost, d.IdentifiersMoved)
	if len(d.Changed) > 0 {
		fmt.Fprintf(tw, "\nchanged profile\tidentifiers\tfrom\tjoined\tleft\n")
		for _, ch := range d.Changed {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", ch.ProfileID, ch.Identifiers, strings.Join(ch.Before, " "), joinIdentifiers(ch.Joined), joinIdentifiers(ch.Left))
		}
	}
	_ = tw.Flush()
	for _, ch := range d.Changed {
		for _, why := range ch.Why {
			fmt.Fprintf(w, "  %s: %s\n", ch.ProfileID, why)
		}
	}
}

func joinIdentifiers(ids []idgraph.Identifier) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id.String()
	}
	return strings.Join(parts, " ")
}
