package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/cli"
)

const linkSynopsis = `(-never | -always) A B [-split] [-reason TEXT] | -list [-identifier TYPE:VALUE] | -remove ID
        [-space ID] [-actor NAME] [-json]

Records, lists and removes never and always decisions between two identifiers,
as PUT, GET and DELETE /v1/spaces/{space}/links do. A and B are identifiers as
TYPE:VALUE; flags may come before or after them, and -- ends the flags.
  -never A B   A and B are never in one profile. When they are in one now, the
               command fails naming the minimum cut that would separate them,
               unless -split, which applies that cut.
  -always A B  join A and B now, with manual evidence; the rules' limits apply.
  -list        list the decisions, oldest first
  -remove ID   remove the decision ID

Flags:`

// linkModes are link's modes, each with the flags that go with it.
var linkModes = map[string][]string{
	"never":  {"split", "reason", "actor"},
	"always": {"reason", "actor"},
	"list":   {"identifier"},
	"remove": {"actor"},
}

// linksPage is how many decisions -list reads at a time.
const linksPage = 500

// runLink records, lists or removes link decisions as the HTTP routes do;
// the store's errors (not found, conflict) exit 1 with its message.
func runLink(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("link", linkSynopsis)
	spaceID := fs.String("space", "default", "the space of the decisions")
	fs.Bool("never", false, "decide that A and B are never in one profile")
	fs.Bool("always", false, "decide that A and B are always in one profile, and join them")
	fs.Bool("list", false, "list the decisions")
	remove := fs.String("remove", "", "remove the decision with this id")
	split := fs.Bool("split", false, "with -never: apply the minimum cut when A and B are in one profile")
	var about identifierFlag
	fs.Var(&about, "identifier", "with -list: only the decisions naming this identifier, as type:value")
	reason := fs.String("reason", "", "why, for the audit trail")
	actor := fs.String("actor", defaultActor(c.Env), "who decides, for the audit trail")
	asJSON := fs.Bool("json", false, "print the HTTP API's JSON answer")
	ids, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	mode, err := linkMode(fs, ids, *remove, *actor)
	if err != nil {
		fs.Usage()
		return err
	}
	var d idgraph.LinkDecision
	if mode == idgraph.DecisionNever || mode == idgraph.DecisionAlways {
		if d, err = linkDecision(ids, mode, *reason, *actor); err != nil {
			fs.Usage()
			return err
		}
	}

	store, space, done, err := openStore(ctx, c, *spaceID)
	if err != nil {
		return err
	}
	defer done()
	switch mode {
	case "list":
		var filter *idgraph.Identifier
		if about.set {
			filter = &about.id
		}
		ds, err := allLinks(ctx, store, space.ID, filter)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(c.Stdout, map[string][]idgraph.LinkDecision{"data": ds})
		}
		printLinks(c.Stdout, ds)
		return nil
	case "remove":
		d, err := store.Unlink(ctx, space, *remove, *actor)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(c.Stdout, d)
		}
		fmt.Fprintf(c.Stdout, "removed the %s decision %s between %s and %s (made by %s at %s)\n",
			d.Decision, d.ID, d.A, d.B, d.Actor, d.At.Format(time.RFC3339))
		return nil
	}
	res, err := store.Link(ctx, space, d, *split)
	if err != nil {
		return cliWords(err)
	}
	if *asJSON {
		if res.Split != nil {
			plan := res.Split.WithEmptyLists()
			res.Split = &plan
		}
		return writeJSON(c.Stdout, res)
	}
	printLink(c.Stdout, res)
	return nil
}

// cliWords says in the command line's words what the store's message says
// in the HTTP API's: the field "split" is the flag -split here.
func cliWords(err error) error {
	var e *idgraph.Error
	if errors.As(err, &e) && strings.Contains(e.Message, `send "split": true`) {
		c := *e
		c.Message = strings.Replace(c.Message, `send "split": true`, "add -split", 1)
		return &c
	}
	return err
}

// linkMode returns which of -never, -always, -list and -remove the command
// line gives, and a usage error naming the flag when the rest does not go
// with it.
func linkMode(fs *flag.FlagSet, ids []string, remove, actor string) (string, error) {
	set := setFlags(fs)
	var modes []string
	for _, m := range []string{"never", "always", "list", "remove"} {
		if set[m] {
			modes = append(modes, m)
		}
	}
	if len(modes) != 1 {
		return "", cli.UsageErrorf("link: give exactly one of -never, -always, -list and -remove (got %d)", len(modes))
	}
	mode := modes[0]
	for name := range set {
		if name != mode && name != "space" && name != "json" && !slices.Contains(linkModes[mode], name) {
			return "", cli.UsageErrorf("link: -%s does not go with -%s", name, mode)
		}
	}
	switch {
	case (mode == "never" || mode == "always") && len(ids) != 2:
		return "", cli.UsageErrorf("link: -%s: want two identifiers A B, got %d", mode, len(ids))
	case (mode == "list" || mode == "remove") && len(ids) > 0:
		return "", cli.UsageErrorf("link: unexpected argument %q", ids[0])
	case mode == "remove" && strings.TrimSpace(remove) == "":
		return "", cli.UsageErrorf("link: -remove: want the id of a decision (see -list)")
	case strings.TrimSpace(actor) == "":
		return "", cli.UsageErrorf("link: -actor: empty: name who decides")
	}
	return mode, nil
}

// linkDecision parses A and B into a new decision, naming A, B or -reason
// when they are wrong.
func linkDecision(ids []string, decision, reason, actor string) (idgraph.LinkDecision, error) {
	var ab [2]idgraph.Identifier
	for i, v := range ids {
		id, err := parseIdentifier(v)
		if err != nil {
			return idgraph.LinkDecision{}, cli.UsageErrorf("link: %s: %q: %v", "AB"[i:i+1], v, err)
		}
		ab[i] = id
	}
	d, err := idgraph.NewLinkDecision(ab[0], ab[1], decision, reason, actor, time.Now().UTC().Truncate(time.Millisecond))
	var e *idgraph.Error
	if errors.As(err, &e) {
		msgs := make([]string, len(e.Problems))
		for i, p := range e.Problems {
			name := map[string]string{"a": "A", "b": "B"}[p.Field]
			if name == "" {
				name = "-" + p.Field
			}
			msgs[i] = name + ": " + p.Message
		}
		return d, cli.UsageErrorf("link: %s", strings.Join(msgs, "; "))
	}
	return d, err
}

// allLinks reads every decision of the space (those naming about, when it
// is set), oldest first, a page at a time.
func allLinks(ctx context.Context, links idgraph.LinkService, space string, about *idgraph.Identifier) ([]idgraph.LinkDecision, error) {
	all := []idgraph.LinkDecision{}
	var after *idgraph.LinkCursor
	for {
		page, err := links.Links(ctx, space, about, after, linksPage)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < linksPage {
			return all, nil
		}
		last := page[len(page)-1]
		after = &idgraph.LinkCursor{At: last.At, ID: last.ID}
	}
}

// printLink writes what recording a decision did.
func printLink(w io.Writer, res idgraph.LinkResult) {
	d := res.Decision
	if !res.Created {
		fmt.Fprintf(w, "%s %s - %s: already decided as %s by %s at %s; nothing changed\n",
			d.Decision, d.A, d.B, d.ID, d.Actor, d.At.Format(time.RFC3339))
		return
	}
	fmt.Fprintf(w, "%s %s - %s: recorded as %s by %s\n", d.Decision, d.A, d.B, d.ID, d.Actor)
	if res.ProfileID != "" {
		fmt.Fprintf(w, "both are in profile %s\n", res.ProfileID)
	}
	if res.Split != nil {
		fmt.Fprintf(w, "split profile %s to keep them apart: correction %s\n", res.Split.ProfileID, res.Split.CorrectionID)
		printCutAndParts(w, *res.Split)
	}
}

// printLinks writes decisions as a table.
func printLinks(w io.Writer, ds []idgraph.LinkDecision) {
	if len(ds) == 0 {
		fmt.Fprintln(w, "no link decisions")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDECISION\tA\tB\tACTOR\tAT\tREASON")
	for _, d := range ds {
		reason := "-"
		if d.Reason != "" {
			reason = fmt.Sprintf("%q", d.Reason)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Decision, d.A, d.B, d.Actor, d.At.Format(time.RFC3339), reason)
	}
	tw.Flush()
}
