package bench

// Accuracy of a partition of identifiers (idgraph's profiles, or plain
// connected components) against a workload's ground truth.
//
// The ground truth names, for every identifier the workload's events carry,
// its owner: one person, or a noise kind for an identifier that belongs to
// no single person (a shared device, a kiosk, the QA account, a shared
// mailbox, a sticky GA client id, a junk value). It also names the
// identifier's linkable component: two identifiers of one person are
// linkable when that person's own events connect them through a chain of
// events, each carrying two of the person's identifiers, without passing
// through a noise identifier. A person who never logged in on their second
// phone has two linkable components; nothing in the events could join them.
//
// Scoring is pairwise, over personal identifiers only:
//
//   - precision: of the pairs of personal identifiers that share a cluster,
//     the share that belong to one person;
//   - recall: of the linkable pairs, the share that share a cluster;
//   - F1: their harmonic mean.
//
// Noise identifiers are left out of every pair: whichever profile a shared
// kiosk id lands in is neither right nor wrong. What noise does to personal
// identifiers is scored in full: a kiosk that glues two shoppers' profiles
// together puts their personal pairs in one cluster, which costs precision.
// A personal identifier missing from the partition (never written, or
// blocked) counts as a cluster of its own, which costs recall. Identifiers of
// the partition that the truth does not name are counted, not scored.
//
// Pairs are never enumerated: every count is a sum of n(n-1)/2 over the
// cells of a contingency table (cluster × person, cluster × linkable
// component), so scoring is linear in the number of identifiers.

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/idgraph/idgraph"
)

// Truth is a workload's ground truth (see TruthHeader).
type Truth struct {
	entries map[string]truthEntry // by "type:value"
	persons int
	comps   int
	noise   map[string]int // noise identifiers by kind
}

type truthEntry struct {
	person int32 // -1 for noise
	comp   int32
}

// ReadTruth reads a ground-truth file written by Generate.
func ReadTruth(r io.Reader) (*Truth, error) {
	t := &Truth{entries: map[string]truthEntry{}, noise: map[string]int{}}
	persons, comps := map[string]int32{}, map[string]int32{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(b) == 0 || b[0] == '#' {
			continue
		}
		f := bytes.Split(b, []byte{'\t'})
		if len(f) != 3 {
			return nil, idgraph.Errorf(idgraph.EINVALID, "truth line %d: want 3 tab-separated fields, got %d", line, len(f))
		}
		id, owner, comp := string(f[0]), string(f[1]), string(f[2])
		if kind, ok := strings.CutPrefix(owner, "!"); ok {
			t.entries[id] = truthEntry{person: -1, comp: -1}
			t.noise[kind]++
			continue
		}
		p, ok := persons[owner]
		if !ok {
			p = int32(len(persons))
			persons[owner] = p
		}
		c, ok := comps[comp]
		if !ok {
			c = int32(len(comps))
			comps[comp] = c
		}
		t.entries[id] = truthEntry{person: p, comp: c}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	t.persons, t.comps = len(persons), len(comps)
	return t, nil
}

// Personal returns how many personal identifiers the truth names.
func (t *Truth) Personal() int { return len(t.entries) - t.Noise() }

// Noise returns how many noise identifiers the truth names.
func (t *Truth) Noise() int {
	n := 0
	for _, c := range t.noise {
		n += c
	}
	return n
}

// Partition assigns identifiers ("type:value") to clusters.
type Partition struct {
	of       map[string]int32
	clusters map[string]int32
}

// NewPartition returns an empty partition.
func NewPartition() *Partition {
	return &Partition{of: map[string]int32{}, clusters: map[string]int32{}}
}

// Add puts identifier in the cluster named cluster.
func (p *Partition) Add(identifier, cluster string) {
	c, ok := p.clusters[cluster]
	if !ok {
		c = int32(len(p.clusters))
		p.clusters[cluster] = c
	}
	p.of[identifier] = c
}

// Len returns how many identifiers the partition holds.
func (p *Partition) Len() int { return len(p.of) }

// Clusters returns how many clusters the partition holds.
func (p *Partition) Clusters() int { return len(p.clusters) }

// Accuracy is how well a partition matches the ground truth.
type Accuracy struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// PredictedPairs share a cluster; CorrectPairs of them belong to one
	// person. LinkablePairs are the pairs recall is over; FoundPairs of them
	// share a cluster.
	PredictedPairs int64 `json:"predicted_pairs"`
	CorrectPairs   int64 `json:"correct_pairs"`
	LinkablePairs  int64 `json:"linkable_pairs"`
	FoundPairs     int64 `json:"found_pairs"`
	// Personal identifiers scored; Missing of them are not in the partition.
	Personal int `json:"personal_identifiers"`
	Missing  int `json:"missing"`
	// Noise identifiers the partition holds (not scored), and identifiers
	// it holds that the truth does not name (not scored).
	NoiseHeld int `json:"noise_held"`
	Unknown   int `json:"unknown"`
	// Clusters holding personal identifiers; Mixed of them hold two or more
	// persons' identifiers; Largest is the most personal identifiers in one.
	Clusters int `json:"clusters"`
	Mixed    int `json:"mixed_clusters"`
	Largest  int `json:"largest_cluster"`
}

// String shows the three scores.
func (a Accuracy) String() string {
	return fmt.Sprintf("precision %.4f, recall %.4f, F1 %.4f", a.Precision, a.Recall, a.F1)
}

// Score scores p against t; see the comment at the top of this file.
func Score(t *Truth, p *Partition) Accuracy {
	var a Accuracy
	type cell struct{ cluster, other int32 }
	byPerson := map[cell]int64{}
	byComp := map[cell]int64{}
	clusterSize := map[int32]int64{}
	compSize := make([]int64, t.comps)
	clusterPersons := map[int32]map[int32]bool{}
	for id, e := range t.entries {
		c, held := p.of[id]
		if e.person < 0 {
			if held {
				a.NoiseHeld++
			}
			continue
		}
		a.Personal++
		compSize[e.comp]++
		if !held {
			a.Missing++
			continue
		}
		clusterSize[c]++
		byPerson[cell{c, e.person}]++
		byComp[cell{c, e.comp}]++
		if clusterPersons[c] == nil {
			clusterPersons[c] = map[int32]bool{}
		}
		clusterPersons[c][e.person] = true
	}
	for id := range p.of {
		if _, ok := t.entries[id]; !ok {
			a.Unknown++
		}
	}
	for c, n := range clusterSize {
		a.PredictedPairs += pairs(n)
		a.Largest = max(a.Largest, int(n))
		if len(clusterPersons[c]) > 1 {
			a.Mixed++
		}
	}
	a.Clusters = len(clusterSize)
	for _, n := range byPerson {
		a.CorrectPairs += pairs(n)
	}
	for _, n := range compSize {
		a.LinkablePairs += pairs(n)
	}
	for _, n := range byComp {
		a.FoundPairs += pairs(n)
	}
	a.Precision, a.Recall = ratio(a.CorrectPairs, a.PredictedPairs), ratio(a.FoundPairs, a.LinkablePairs)
	if a.Precision+a.Recall > 0 {
		a.F1 = 2 * a.Precision * a.Recall / (a.Precision + a.Recall)
	}
	return a
}

func pairs(n int64) int64 { return n * (n - 1) / 2 }

// ratio is num/den, 1 when there is nothing to count.
func ratio(num, den int64) float64 {
	if den == 0 {
		return 1
	}
	return float64(num) / float64(den)
}
