package bench_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/bench"
)

// handTruth: person 1 owns a, b (linkable) and c (on a phone never logged
// in: a component of its own); person 2 owns d, e; n is a shared kiosk.
const handTruth = bench.TruthHeader + `a	p1	p1.0
b	p1	p1.0
c	p1	p1.1
d	p2	p2.0
e	p2	p2.0
n	!kiosk	-
`

func readTruth(t *testing.T, s string) *bench.Truth {
	t.Helper()
	tr, err := bench.ReadTruth(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func partition(clusters ...string) *bench.Partition {
	p := bench.NewPartition()
	for i, c := range clusters {
		for _, id := range strings.Fields(c) {
			p.Add(id, fmt.Sprint(i))
		}
	}
	return p
}

func TestScoreHandMade(t *testing.T) {
	tr := readTruth(t, handTruth)
	for _, tc := range []struct {
		name                  string
		p                     *bench.Partition
		precision, recall, f1 float64
		check                 func(bench.Accuracy) string
	}{
		{name: "perfect", p: partition("a b", "c", "d e", "n"), precision: 1, recall: 1, f1: 1},
		{
			// Joining c, which nothing in the events links, is right: it is
			// person 1's. The noise identifier is not scored.
			name: "better than linkable", p: partition("a b c n", "d e"), precision: 1, recall: 1, f1: 1,
			check: func(a bench.Accuracy) string {
				if a.PredictedPairs != 4 || a.NoiseHeld != 1 {
					return fmt.Sprintf("predicted %d pairs, %d noise held; want 4, 1", a.PredictedPairs, a.NoiseHeld)
				}
				return ""
			},
		},
		{
			// The kiosk glues everyone together: 10 pairs, 4 right.
			name: "one blob", p: partition("a b c d e n"), precision: 0.4, recall: 1, f1: 2 * 0.4 / 1.4,
			check: func(a bench.Accuracy) string {
				if a.Mixed != 1 || a.Largest != 5 {
					return fmt.Sprintf("mixed %d, largest %d; want 1, 5", a.Mixed, a.Largest)
				}
				return ""
			},
		},
		{name: "split", p: partition("a", "b c", "d e"), precision: 1, recall: 0.5, f1: 2 * 0.5 / 1.5},
		{
			name: "missing and unknown", p: partition("b c", "d e x"), precision: 1, recall: 0.5, f1: 2 * 0.5 / 1.5,
			check: func(a bench.Accuracy) string {
				if a.Missing != 1 || a.Unknown != 1 || a.Personal != 5 {
					return fmt.Sprintf("missing %d, unknown %d, personal %d; want 1, 1, 5", a.Missing, a.Unknown, a.Personal)
				}
				return ""
			},
		},
		{name: "nothing joined", p: partition("a", "b", "c", "d", "e"), precision: 1, recall: 0, f1: 0},
	} {
		a := bench.Score(tr, tc.p)
		if !near(a.Precision, tc.precision) || !near(a.Recall, tc.recall) || !near(a.F1, tc.f1) {
			t.Errorf("%s: got %s, want precision %.4f, recall %.4f, F1 %.4f", tc.name, a, tc.precision, tc.recall, tc.f1)
		}
		if tc.check != nil {
			if msg := tc.check(a); msg != "" {
				t.Errorf("%s: %s", tc.name, msg)
			}
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestScoreMatchesPairEnumeration compares the contingency-table counts
// with a brute-force count over every pair, on random truths and partitions.
func TestScoreMatchesPairEnumeration(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 50 {
		n := 1 + rng.IntN(60)
		var sb strings.Builder
		sb.WriteString(bench.TruthHeader)
		type owner struct{ person, comp string }
		owners := map[string]owner{}
		p := bench.NewPartition()
		assigned := map[string]int{}
		for i := range n {
			id := fmt.Sprintf("t:%d", i)
			if rng.IntN(8) == 0 {
				fmt.Fprintf(&sb, "%s\t!junk\t-\n", id)
			} else {
				person := fmt.Sprintf("p%d", rng.IntN(6))
				comp := fmt.Sprintf("%s.%d", person, rng.IntN(2))
				owners[id] = owner{person, comp}
				fmt.Fprintf(&sb, "%s\t%s\t%s\n", id, person, comp)
			}
			if rng.IntN(10) > 0 { // else missing from the partition
				c := rng.IntN(5)
				p.Add(id, fmt.Sprint(c))
				assigned[id] = c
			}
		}
		a := bench.Score(readTruth(t, sb.String()), p)

		var predicted, correct, linkable, found int64
		keys := make([]string, 0, len(owners))
		for id := range owners {
			keys = append(keys, id)
		}
		for i := range keys {
			for j := i + 1; j < len(keys); j++ {
				x, y := keys[i], keys[j]
				cx, okx := assigned[x]
				cy, oky := assigned[y]
				same := okx && oky && cx == cy
				if owners[x].comp == owners[y].comp {
					linkable++
					if same {
						found++
					}
				}
				if same {
					predicted++
					if owners[x].person == owners[y].person {
						correct++
					}
				}
			}
		}
		if a.PredictedPairs != predicted || a.CorrectPairs != correct || a.LinkablePairs != linkable || a.FoundPairs != found {
			t.Fatalf("round %d: got predicted %d correct %d linkable %d found %d; brute force %d %d %d %d",
				round, a.PredictedPairs, a.CorrectPairs, a.LinkablePairs, a.FoundPairs, predicted, correct, linkable, found)
		}
	}
}

func TestComponentsJoinEverythingTheRulesWouldStop(t *testing.T) {
	events := strings.Join([]string{
		// Two people who both sent the junk user id "null".
		`{"type":"track","event":"x","userId":"null","anonymousId":"anon-1","messageId":"1","timestamp":"2024-01-01T00:00:00Z"}`,
		`{"type":"track","event":"x","userId":"null","anonymousId":"anon-2","messageId":"2","timestamp":"2024-01-01T00:00:00Z"}`,
		// Two user ids on one anonymous id: the user_id limit would refuse it.
		`{"type":"identify","userId":"u1","anonymousId":"anon-3","messageId":"3","timestamp":"2024-01-01T00:00:00Z","traits":{"email":" Me@X.com "}}`,
		`{"type":"identify","userId":"u2","anonymousId":"anon-3","messageId":"4","timestamp":"2024-01-01T00:00:00Z"}`,
		`not json`,
		``,
	}, "\n")
	p, err := bench.Components(strings.NewReader(events), idgraph.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	tr := readTruth(t, bench.TruthHeader+
		"anonymous_id:anon-1\tp1\tp1.0\nanonymous_id:anon-2\tp2\tp2.0\n"+
		"user_id:u1\tp3\tp3.0\nemail:me@x.com\tp3\tp3.0\nanonymous_id:anon-3\tp3\tp3.0\nuser_id:u2\tp4\tp4.0\n"+
		"user_id:null\t!junk\t-\n")
	a := bench.Score(tr, p)
	if p.Len() != 7 || p.Clusters() != 2 {
		t.Errorf("got %d identifiers in %d components, want 7 in 2", p.Len(), p.Clusters())
	}
	// Pairs: {anon-1, anon-2} wrong; {u1, email, anon-3, u2}: 6 pairs, 3 right.
	if a.PredictedPairs != 7 || a.CorrectPairs != 3 || a.NoiseHeld != 1 {
		t.Errorf("got %+v, want 7 predicted pairs, 3 correct, 1 noise held", a)
	}
}
