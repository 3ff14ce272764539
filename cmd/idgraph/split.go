package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/cli"
)

const splitSynopsis = `-profile TYPE:VALUE (-identifier TYPE:VALUE ... | -cut FROM -to TO ... | -apart A -apart B | -event SOURCE/MESSAGE_ID)
        [-space ID] [-preview] [-forget] [-reason TEXT] [-actor NAME] [-json]

Splits the profile holding -profile, as POST .../profiles/{id}/split does. Say
what to cut with exactly one of:
  -identifier (repeated)  those identifiers leave the profile together
  -cut FROM -to TO        the link between FROM and TO is cut (repeat the pair)
  -apart A -apart B       the links of least evidence that separate A and B are cut
  -event SOURCE/MESSAGE_ID  the links that event joined are cut
Each flag takes one identifier (values may hold commas and colons): repeat it.

Flags:`

// runSplit splits a profile as the HTTP route does: -preview writes
// nothing, the parts are kept apart by never decisions unless -forget, and
// the store's errors (not found, conflict, invalid) exit 1 with its message.
func runSplit(ctx context.Context, c *cli.CLI, args []string) error {
	fs := c.Flags("split", splitSynopsis)
	spaceID := fs.String("space", "default", "the space of the profile")
	var profile identifierFlag
	fs.Var(&profile, "profile", "an identifier of the profile to split, as type:value")
	var s idgraph.Split
	fs.Var((*identifierList)(&s.Identifiers), "identifier", "an identifier that leaves the profile (repeat: they leave together)")
	var cuts cutFlags
	fs.Func("cut", "one end of a link to cut; the next -to names the other (repeat the pair)", cuts.cut)
	fs.Func("to", "the other end of the link the -cut before it names", cuts.to)
	fs.Var((*identifierList)(&s.Apart), "apart", "one of two identifiers to separate (give it twice)")
	fs.Func("event", "undo what the event SOURCE/MESSAGE_ID joined", func(v string) error {
		src, msg, ok := strings.Cut(v, "/")
		if !ok || src == "" || msg == "" {
			return errors.New("want SOURCE/MESSAGE_ID")
		}
		s.Event = &idgraph.EventKey{SourceID: src, MessageID: msg}
		return nil
	})
	preview := fs.Bool("preview", false, "print what the split would do and write nothing")
	fs.BoolVar(&s.Forget, "forget", false, "record no never decision between the parts (as \"remember\": false)")
	fs.StringVar(&s.Reason, "reason", "", "why, for the audit trail")
	actor := fs.String("actor", defaultActor(c.Env), "who splits, for the audit trail")
	asJSON := fs.Bool("json", false, "print the HTTP API's JSON answer")
	if err := c.Parse(fs, args); err != nil {
		return err
	}
	if err := checkSplitFlags(profile, s, cuts, *actor); err != nil {
		fs.Usage()
		return err
	}
	s.Cut = cuts.links

	store, space, done, err := openStore(ctx, c, *spaceID)
	if err != nil {
		return err
	}
	defer done()
	plan, err := store.Split(ctx, space, profile.id, s, *actor, *preview)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c.Stdout, splitAnswer{Preview: *preview, SplitPlan: plan.WithEmptyLists()})
	}
	printSplit(c.Stdout, plan, *preview)
	return nil
}

// checkSplitFlags reports the first thing wrong with the command line as a
// usage error naming the flag; the domain's Split.Validate has the rules.
func checkSplitFlags(profile identifierFlag, s idgraph.Split, cuts cutFlags, actor string) error {
	if !profile.set {
		return cli.UsageErrorf("split: -profile: missing: want an identifier of the profile to split")
	}
	if cuts.pending != nil {
		return cli.UsageErrorf("split: -cut %s: no -to names the link's other end", cuts.pending)
	}
	modes := 0
	for _, set := range []bool{len(s.Identifiers) > 0, len(cuts.links) > 0, len(s.Apart) > 0, s.Event != nil} {
		if set {
			modes++
		}
	}
	if modes != 1 {
		return cli.UsageErrorf("split: give exactly one of -identifier, -cut, -apart and -event (got %d)", modes)
	}
	if strings.TrimSpace(actor) == "" {
		return cli.UsageErrorf("split: -actor: empty: name who splits")
	}
	s.Cut = cuts.links
	var e *idgraph.Error
	if err := s.Validate(); errors.As(err, &e) {
		msgs := make([]string, len(e.Problems))
		for i, p := range e.Problems {
			msgs[i] = splitFlag(p.Field) + ": " + p.Message
		}
		return cli.UsageErrorf("split: %s", strings.Join(msgs, "; "))
	}
	return nil
}

// splitFlag names the flag behind a field of the split request
// ("apart[1]" is -apart).
func splitFlag(field string) string {
	name, _, _ := strings.Cut(strings.SplitN(field, "[", 2)[0], ".")
	if name == "identifiers" {
		name = "identifier"
	}
	return "-" + name
}

// cutFlags collects -cut FROM -to TO pairs in order: each -to closes the
// -cut before it.
type cutFlags struct {
	links   []idgraph.LinkRef
	pending *idgraph.Identifier
}

func (f *cutFlags) cut(v string) error {
	if f.pending != nil {
		return fmt.Errorf("the -cut %s before it has no -to", f.pending)
	}
	id, err := parseIdentifier(v)
	if err != nil {
		return err
	}
	f.pending = &id
	return nil
}

func (f *cutFlags) to(v string) error {
	if f.pending == nil {
		return errors.New("no -cut before it names the link's first end")
	}
	id, err := parseIdentifier(v)
	if err != nil {
		return err
	}
	f.links, f.pending = append(f.links, idgraph.LinkRef{From: *f.pending, To: id}), nil
	return nil
}

// splitAnswer is the JSON of a split: the HTTP route's answer.
type splitAnswer struct {
	Preview bool `json:"preview"`
	idgraph.SplitPlan
}

// printSplit writes a split for people: what it cut, the parts it left and
// the never decisions that keep them apart.
func printSplit(w io.Writer, p idgraph.SplitPlan, preview bool) {
	if preview {
		fmt.Fprintf(w, "preview of a split of profile %s: nothing written\n", p.ProfileID)
	} else {
		fmt.Fprintf(w, "split profile %s: correction %s by %s\n", p.ProfileID, p.CorrectionID, p.Actor)
	}
	printCutAndParts(w, p)
	if len(p.Never) == 0 {
		fmt.Fprintln(w, "never decisions: none (-forget: a later event may join the parts again)")
		return
	}
	fmt.Fprintf(w, "never decisions (%d):\n", len(p.Never))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, d := range p.Never {
		if preview {
			fmt.Fprintf(tw, "  %s - %s\n", d.A, d.B)
		} else {
			fmt.Fprintf(tw, "  %s\t%s - %s\n", d.ID, d.A, d.B)
		}
	}
	tw.Flush()
}

// printCutAndParts writes the links a split cuts, with their evidence, and
// each part with its profile id and identifiers.
func printCutAndParts(w io.Writer, p idgraph.SplitPlan) {
	fmt.Fprintf(w, "links cut (%d):\n", len(p.Cut))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, e := range p.Cut {
		fmt.Fprintf(tw, "  %s - %s\t%d %s\n", e.A, e.B, e.Count, plural(e.Count, "event", "events"))
	}
	tw.Flush()
	fmt.Fprintf(w, "parts (%d):\n", len(p.Parts))
	for _, part := range p.Parts {
		kept := "new"
		if part.Kept {
			kept = "keeps the profile's id"
		}
		n := len(part.Identifiers)
		fmt.Fprintf(w, "  %s (%s), %d %s:\n", part.ProfileID, kept, n, plural(n, "identifier", "identifiers"))
		for _, s := range part.Identifiers {
			fmt.Fprintf(w, "    %s\n", s.Identifier)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
