package bench

import (
	"bytes"

	"github.com/idgraph/idgraph"
)

// NoiseEffect is the accuracy of idgraph's rules (in process) and of plain
// components on a workload with only some noise kinds on.
type NoiseEffect struct {
	Noise      string   `json:"noise"`
	Rules      Accuracy `json:"rules"`
	Components Accuracy `json:"components"`
}

// NoiseBreakdown scores idgraph's rules (Resolved) and plain components on
// workloads of the given size and seed with no noise, with each kind alone,
// and with all: which kind costs what. It runs in memory, without Neo4j.
func NoiseBreakdown(events int, seed uint64) ([]NoiseEffect, error) {
	sets := []NoiseSet{{}}
	for _, k := range AllNoise {
		sets = append(sets, NoiseSet{k: true})
	}
	all, _ := ParseNoise("all")
	sets = append(sets, all)
	var out []NoiseEffect
	for _, set := range sets {
		var ev, tr bytes.Buffer
		if _, err := Generate(Workload{Events: events, Seed: seed, Noise: set}, &ev, &tr); err != nil {
			return nil, err
		}
		truth, err := ReadTruth(bytes.NewReader(tr.Bytes()))
		if err != nil {
			return nil, err
		}
		rules, err := Resolved(bytes.NewReader(ev.Bytes()), idgraph.DefaultRules())
		if err != nil {
			return nil, err
		}
		comps, err := Components(bytes.NewReader(ev.Bytes()), idgraph.DefaultRules())
		if err != nil {
			return nil, err
		}
		out = append(out, NoiseEffect{Noise: set.String(), Rules: Score(truth, rules), Components: Score(truth, comps)})
	}
	return out, nil
}
