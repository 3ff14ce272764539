package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// Figure is one measured number, with its target when the issue sets one.
type Figure struct {
	Key     string  `json:"key"`
	Section string  `json:"section"`
	Name    string  `json:"name"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit"`
	// Target is the target ("≥ 10000"), empty when it sets none;
	// Met says whether the value reaches it.
	Target string `json:"target,omitempty"`
	Met    *bool  `json:"met,omitempty"`
	Method string `json:"method"`
	Note   string `json:"note,omitempty"`
}

// target attaches a target to f: at least (or at most) v.
func (f *Figure) target(atLeast bool, v float64, unit string) {
	met := f.Value <= v
	sign := "≤"
	if atLeast {
		met, sign = f.Value >= v, "≥"
	}
	f.Met = &met
	f.Target = sign + " " + formatValue(v, unit)
}

// Report is the outcome of one benchmark run.
type Report struct {
	Started  time.Time           `json:"started"`
	Took     time.Duration       `json:"took_ns"`
	Mode     string              `json:"mode"`
	Machine  Machine             `json:"machine"`
	Workload Summary             `json:"workload"`
	Figures  []Figure            `json:"figures"`
	Accuracy map[string]Accuracy `json:"accuracy"`
	// Spaces are the spaces the run wrote (deleted at its end unless kept).
	Spaces []string `json:"spaces"`
	// Failures counts requests not answered 200 (the figures' methods say
	// which).
	Failures int `json:"failed_requests"`
	// Plans are Neo4j's PROFILE of the hot queries, when asked for.
	Plans []Plan `json:"plans,omitempty"`
	// NoiseBreakdown is the accuracy per noise kind, when asked for.
	NoiseBreakdown []NoiseEffect `json:"noise_breakdown,omitempty"`
	Notes          []string      `json:"notes,omitempty"`
}

// Figure returns the figure with the given key, if any.
func (r *Report) Figure(key string) (Figure, bool) {
	for _, f := range r.Figures {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}

func (r *Report) add(f Figure) *Figure {
	r.Figures = append(r.Figures, f)
	return &r.Figures[len(r.Figures)-1]
}

func (r *Report) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

func formatValue(v float64, unit string) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case unit == "" || unit == "ratio":
		if v == math.Trunc(v) {
			return fmt.Sprintf("%.0f", v)
		}
		return fmt.Sprintf("%.4f", v)
	case v >= 100:
		return fmt.Sprintf("%s %s", thousands(v), unit)
	case v >= 10:
		return fmt.Sprintf("%.1f %s", v, unit)
	}
	return fmt.Sprintf("%.2f %s", v, unit)
}

// thousands formats v rounded, with commas.
func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func metText(f Figure) string {
	switch {
	case f.Met == nil:
		return ""
	case *f.Met:
		return "met"
	}
	return "**missed**"
}

// WriteText writes the figures as a table for a terminal.
func (r *Report) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "figure\tvalue\ttarget\t\n")
	for _, f := range r.Figures {
		met := strings.Trim(metText(f), "*")
		fmt.Fprintf(tw, "%s: %s\t%s\t%s\t%s\n", f.Section, f.Name, formatValue(f.Value, f.Unit), f.Target, met)
	}
	tw.Flush()
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

// The generated part of BENCHMARKS.md lies between these markers; the rest
// of the file (the analysis) is kept when the run rewrites it.
const (
	beginMarker = "<!-- bench:begin (written by idgraph-bench bench; edit outside the markers) -->"
	endMarker   = "<!-- bench:end -->"
)

// WriteMarkdownFile writes the run into path: between the markers when the
// file has them, else as a new file with an empty analysis section.
func (r *Report) WriteMarkdownFile(path string) error {
	var gen bytes.Buffer
	r.writeMarkdown(&gen)
	section := beginMarker + "\n" + gen.String() + endMarker + "\n"
	old, err := os.ReadFile(path)
	if err == nil {
		s := string(old)
		i, j := strings.Index(s, beginMarker), strings.Index(s, endMarker)
		if i >= 0 && j > i {
			return os.WriteFile(path, []byte(s[:i]+section+s[j+len(endMarker)+1:]), 0o644)
		}
	}
	doc := "# Benchmarks\n\nWritten by `make bench` (`idgraph-bench bench`); see the issue for the targets.\n\n" +
		section + "\n## Analysis\n\n_To be written: for each missed target, what limits it and what would move it._\n"
	return os.WriteFile(path, []byte(doc), 0o644)
}

func (r *Report) writeMarkdown(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "## Run of %s (%s mode, %s events, %s)\n\n", r.Started.UTC().Format("2006-01-02 15:04 MST"), r.Mode, thousands(float64(r.Workload.Events)), r.Took.Round(time.Second))
	fmt.Fprintf(w, "Machine: %s; %d cores; %s memory; %s. Go %s (bench), idgraph %s; Neo4j %s %s on %s, heap %s, page cache %s. "+
		"Neo4j, idgraph and the load generator share the machine; its load average (1, 5, 15 min) was %s at the start and %s at the end.\n\n",
		m.CPU, m.Cores, m.Memory, m.OS, m.Go, m.IdgraphVersion, m.Neo4jVersion, m.Neo4jEdition, m.Java, m.Neo4jHeap, m.Neo4jPageCache, m.LoadBefore, m.LoadAfter)
	s := r.Workload
	fmt.Fprintf(w, "Workload: `idgraph-bench gen -events %d -seed %d -noise %s`: %s events (%s), %s people (%s with an account), "+
		"%s personal identifiers in %s linkable components, %s noise identifiers; timestamps %s to %s.\n\n",
		s.Events, s.Seed, s.Noise, thousands(float64(s.Events)), countList(s.ByType), thousands(float64(s.Persons)), thousands(float64(s.Known)),
		thousands(float64(s.PersonalIdentifiers)), thousands(float64(s.LinkableComponents)), thousands(float64(s.NoiseIdentifiers)),
		s.First.Format(time.DateOnly), s.Last.Format(time.DateOnly))
	fmt.Fprintf(w, "Noise: ")
	for i, k := range AllNoise {
		if i > 0 {
			fmt.Fprint(w, "; ")
		}
		if c := s.ByNoise[k]; c != nil {
			fmt.Fprintf(w, "%s %d instances, %d events", k, c.Instances, c.Events)
		} else {
			fmt.Fprintf(w, "%s off", k)
		}
	}
	fmt.Fprint(w, ".\n\n")

	fmt.Fprintln(w, "| figure | value | target | | method |")
	fmt.Fprintln(w, "|---|---:|---|---|---|")
	for _, f := range r.Figures {
		method := f.Method
		if f.Note != "" {
			method += " " + f.Note
		}
		fmt.Fprintf(w, "| %s: %s | %s | %s | %s | %s |\n", f.Section, f.Name, formatValue(f.Value, f.Unit), f.Target, metText(f), method)
	}
	fmt.Fprintln(w)
	if len(r.Accuracy) > 0 {
		fmt.Fprintln(w, "| partition | precision | recall | F1 | predicted pairs | correct | linkable pairs | found | clusters | mixed | largest | personal ids missing | noise ids held |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, name := range []string{"idgraph", "resolver", "components"} {
			a, ok := r.Accuracy[name]
			if !ok {
				continue
			}
			fmt.Fprintf(w, "| %s | %.4f | %.4f | %.4f | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", name,
				a.Precision, a.Recall, a.F1, a.PredictedPairs, a.CorrectPairs, a.LinkablePairs, a.FoundPairs,
				a.Clusters, a.Mixed, a.Largest, a.Missing, a.NoiseHeld)
		}
		fmt.Fprintln(w)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w)
	}
	if len(r.NoiseBreakdown) > 0 {
		fmt.Fprintf(w, "### Accuracy by noise kind (in process, %s events each)\n\n", thousands(float64(min(r.Workload.Events, 100_000))))
		fmt.Fprintln(w, "| noise | rules: precision | recall | F1 | mixed profiles | components: precision | recall | F1 |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
		for _, e := range r.NoiseBreakdown {
			fmt.Fprintf(w, "| %s | %.4f | %.4f | %.4f | %d | %.4f | %.4f | %.4f |\n", e.Noise,
				e.Rules.Precision, e.Rules.Recall, e.Rules.F1, e.Rules.Mixed, e.Components.Precision, e.Components.Recall, e.Components.F1)
		}
		fmt.Fprintln(w)
	}
	if len(r.Plans) > 0 {
		fmt.Fprintf(w, "### Query plans (PROFILE)\n\n")
		for _, p := range r.Plans {
			fmt.Fprintf(w, "`%s` (%s): %d rows, %d db hits, %s.\n\n```\n%s```\n\n", p.Query, p.Context, p.Rows, p.DBHits, p.Took, p.Text)
		}
	}
}

// WriteJSONFile writes the run as JSON, for machines.
func (r *Report) WriteJSONFile(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
