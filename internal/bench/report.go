package bench

import (
	"encoding/json"
	"fmt"
	"io"
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

// ReadReportFile reads a run that WriteJSONFile wrote, so that its
// Markdown can be written again without running it again.
func ReadReportFile(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &r, nil
}

// WriteJSONFile writes the run as JSON, for machines.
func (r *Report) WriteJSONFile(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
