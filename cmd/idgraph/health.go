package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/cli"
)

// runHealth prints a space's health report, computed from the graph as GET
// .../health computes it: for people by default, the route's JSON with
// -json.
func runHealth(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("health", "[-space ID] [-json]")
	spaceID := fs.String("space", "default", "the space to report on")
	asJSON := fs.Bool("json", false, "print the HTTP API's JSON answer")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	store, space, done, err := openStore(ctx, c, *spaceID)
	if err != nil {
		return err
	}
	defer done()
	r, err := store.Health(ctx, space.ID)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c.Stdout, r.WithEmptyLists())
	}
	printHealth(c.Stdout, r)
	return nil
}

// printHealth writes a health report for people: the figures, then each
// list under a heading, "none" for an empty one; of the merges per hour,
// only the hours that had any.
func printHealth(w io.Writer, r idgraph.HealthReport) {
	fmt.Fprintf(w, "space %s: %d profiles, %d identifiers, %d %s (computed at %s in %d ms)\n",
		r.Space, r.Profiles, r.Identifiers, r.Singletons, plural(r.Singletons, "singleton", "singletons"),
		r.GeneratedAt.Format(time.RFC3339), r.TookMS)
	section(w, "profiles by size (identifiers held)", len(r.SizeDistribution), func(tw io.Writer) {
		for _, b := range r.SizeDistribution {
			fmt.Fprintf(tw, "  %s\t%d\n", bucketRange(b), b.Profiles)
		}
	})
	section(w, "largest profiles", len(r.LargestProfiles), func(tw io.Writer) {
		for _, p := range r.LargestProfiles {
			fmt.Fprintf(tw, "  %s\t%d identifiers\t%d %s\n", p.ProfileID, p.Identifiers, p.MergeCount, plural(p.MergeCount, "merge", "merges"))
		}
	})
	section(w, "hubs (most links)", len(r.Hubs), func(tw io.Writer) {
		for _, h := range r.Hubs {
			fmt.Fprintf(tw, "  %s\t%d %s\t%d %s\n", h.Identifier, h.Links, plural(h.Links, "link", "links"), h.UserIDs, plural(h.UserIDs, "user id", "user ids"))
		}
	})
	section(w, "shared identifiers", len(r.Shared), func(tw io.Writer) {
		for _, s := range r.Shared {
			fmt.Fprintf(tw, "  %s\tsince %s\t%s\n", s.Identifier, s.Since.Format(time.RFC3339), s.Reason)
		}
	})
	section(w, fmt.Sprintf("refusals by rule (links first refused per day, last %d days of the data)", idgraph.RefusalDays), len(r.RefusalsByRule), func(tw io.Writer) {
		for _, x := range r.RefusalsByRule {
			fmt.Fprintf(tw, "  %s\t%s\t%d\n", x.Day, x.Rule, x.Count)
		}
	})
	var busy []idgraph.HourMerges
	for _, h := range r.MergesPerHour {
		if h.Merges > 0 {
			busy = append(busy, h)
		}
	}
	section(w, fmt.Sprintf("merges per hour (last %d hours of the data; hours without merges left out)", idgraph.MergeHours), len(busy), func(tw io.Writer) {
		for _, h := range busy {
			fmt.Fprintf(tw, "  %s\t%d\n", h.Hour.Format("2006-01-02 15:04Z"), h.Merges)
		}
	})
	s := r.MergeStorm
	if !s.Detected {
		fmt.Fprintf(w, "merge storm: none (a storm is an hour with more than max(%d, %d × the median of the %d hours before it) merges)\n",
			idgraph.StormFloor, idgraph.StormFactor, idgraph.StormTrailingHours)
		return
	}
	fmt.Fprintf(w, "merge storm: %d merges in the hour from %s, against a median of %g in the %d hours before it (a storm is more than max(%d, %d × that median))\n",
		s.Merges, s.Hour.Format("2006-01-02 15:04Z"), s.TrailingMedian, idgraph.StormTrailingHours, idgraph.StormFloor, idgraph.StormFactor)
}

// section writes a heading and, through a tabwriter, its lines; "none"
// when it has none.
func section(w io.Writer, heading string, n int, lines func(io.Writer)) {
	if n == 0 {
		fmt.Fprintf(w, "%s: none\n", heading)
		return
	}
	fmt.Fprintf(w, "%s:\n", heading)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	lines(tw)
	tw.Flush()
}

// bucketRange names a size bucket: "1", "3-5", "1001+".
func bucketRange(b idgraph.SizeBucket) string {
	switch b.Max {
	case 0:
		return strconv.Itoa(b.Min) + "+"
	case b.Min:
		return strconv.Itoa(b.Min)
	}
	return fmt.Sprintf("%d-%d", b.Min, b.Max)
}
