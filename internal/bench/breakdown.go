package bench

import (
	"bytes"

	"github.com/idgraph/idgraph"
)

// NoiseEffect is the accuracy of idgraph's rules (in process) and of plain
// components on a workload with only some noise kinds on.
type NoiseEffect struct {
	Noise string `json:"noise"`
	// Rules are idgraph's default rules (shared identifiers found and kept
	// from joining); Segment are the same with segment_compatible: true.
	Rules      Accuracy `json:"rules"`
	Segment    Accuracy `json:"segment_compatible"`
	Components Accuracy `json:"components"`
}

// NoiseBreakdown scores idgraph's rules (Resolved), with and without
// shared identifiers, and plain components on workloads of the given size
// and seed with no noise, with each kind alone, and with all: which kind
// costs what. It runs in memory, without Neo4j. sets are the noise
// settings to score; none means every one of those.
func NoiseBreakdown(events int, seed uint64, sets ...NoiseSet) ([]NoiseEffect, error) {
	if len(sets) == 0 {
		sets = BreakdownSets()
	}
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
		rules, err := ResolvedEach(bytes.NewReader(ev.Bytes()), idgraph.DefaultRules(), idgraph.DefaultRules().SegmentCompatible())
		if err != nil {
			return nil, err
		}
		comps, err := Components(bytes.NewReader(ev.Bytes()), idgraph.DefaultRules())
		if err != nil {
			return nil, err
		}
		out = append(out, NoiseEffect{Noise: set.String(), Rules: Score(truth, rules[0]), Segment: Score(truth, rules[1]), Components: Score(truth, comps)})
	}
	return out, nil
}

// BreakdownSets are the noise settings NoiseBreakdown scores: none, each
// kind alone, and all.
func BreakdownSets() []NoiseSet {
	sets := []NoiseSet{{}}
	for _, k := range AllNoise {
		sets = append(sets, NoiseSet{k: true})
	}
	all, _ := ParseNoise("all")
	return append(sets, all)
}
