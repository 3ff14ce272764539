package idgraph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func link(a, b Identifier, count int) Edge {
	if b.Less(a) {
		a, b = b, a
	}
	return Edge{A: a, B: b, Count: count}
}

func TestMinCutFindsTheWeakBridge(t *testing.T) {
	kiosk := Identifier{Type: "android.id", Value: "kiosk"}
	jane := []Identifier{{Type: "user_id", Value: "jane"}, {Type: "email", Value: "jane@x.com"}, {Type: "anonymous_id", Value: "a1"}}
	bob := []Identifier{{Type: "user_id", Value: "bob"}, {Type: "email", Value: "bob@x.com"}, {Type: "anonymous_id", Value: "b1"}}
	edges := []Edge{
		link(jane[0], jane[1], 12), link(jane[0], jane[2], 5), link(jane[1], jane[2], 3),
		link(bob[0], bob[1], 9), link(bob[0], bob[2], 4),
		// The kiosk is seen a lot with Jane, once with Bob's session.
		link(kiosk, jane[2], 40), link(kiosk, bob[2], 1),
	}
	cut, err := MinCut(edges, jane[0], bob[0])
	if err != nil {
		t.Fatal(err)
	}
	want := []Edge{link(kiosk, bob[2], 1)}
	if !slices.EqualFunc(cut, want, func(a, b Edge) bool { return a.A == b.A && a.B == b.B }) {
		t.Errorf("MinCut = %v, want the one-event link %v", cut, want)
	}
	parts := Components(append(append([]Identifier{kiosk}, jane...), bob...), without(edges, cut))
	if len(parts) != 2 {
		t.Fatalf("after the cut: %d parts %v, want 2", len(parts), parts)
	}
}

func TestMinCutErrors(t *testing.T) {
	a, b, c := Identifier{"user_id", "a"}, Identifier{"user_id", "b"}, Identifier{"user_id", "c"}
	edges := []Edge{link(a, b, 1)}
	if _, err := MinCut(edges, a, a); ErrorCode(err) != EINVALID {
		t.Errorf("MinCut(a, a) = %v, want EINVALID", err)
	}
	if _, err := MinCut(edges, a, c); ErrorCode(err) != ENOTFOUND {
		t.Errorf("MinCut(a, unlinked) = %v, want ENOTFOUND", err)
	}
	var big []Edge
	for i := range MaxCutIdentifiers {
		big = append(big, link(Identifier{"x", fmt.Sprint(i)}, Identifier{"x", fmt.Sprint(i + 1)}, 1))
	}
	if _, err := MinCut(big, Identifier{"x", "0"}, Identifier{"x", "5"}); ErrorCode(err) != EINVALID {
		t.Errorf("MinCut over %d identifiers = %v, want EINVALID", MaxCutIdentifiers+1, err)
	}
}

// TestMinCutIsMinimum compares MinCut with every subset of edges on small
// random graphs: its cut separates the two and no separating subset weighs
// less.
func TestMinCutIsMinimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for round := range 200 {
		n := 3 + rng.IntN(5)
		ids := make([]Identifier, n)
		for i := range ids {
			ids[i] = Identifier{"t", fmt.Sprint(i)}
		}
		seen := map[[2]int]bool{}
		var edges []Edge
		for range 2 + rng.IntN(9) {
			i, j := rng.IntN(n), rng.IntN(n)
			if i == j || seen[[2]int{min(i, j), max(i, j)}] {
				continue
			}
			seen[[2]int{min(i, j), max(i, j)}] = true
			edges = append(edges, link(ids[i], ids[j], 1+rng.IntN(6)))
		}
		if len(edges) == 0 {
			continue
		}
		s, tt := edges[0].A, edges[len(edges)-1].B
		if s == tt {
			continue
		}
		cut, err := MinCut(edges, s, tt)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if connected(ids, without(edges, cut), s, tt) {
			t.Fatalf("round %d: the cut %v leaves %s and %s joined", round, cut, s, tt)
		}
		best := -1
		for mask := 0; mask < 1<<len(edges); mask++ {
			var sub []Edge
			w := 0
			for k, e := range edges {
				if mask&(1<<k) != 0 {
					sub, w = append(sub, e), w+e.Count
				}
			}
			if (best < 0 || w < best) && !connected(ids, without(edges, sub), s, tt) {
				best = w
			}
		}
		if got := weight(cut); got != best {
			t.Fatalf("round %d: cut weighs %d, the minimum is %d (edges %v)", round, got, best, edges)
		}
	}
}

func TestComponents(t *testing.T) {
	a, b, c, d := Identifier{"t", "a"}, Identifier{"t", "b"}, Identifier{"t", "c"}, Identifier{"t", "d"}
	got := Components([]Identifier{d, c, b, a}, []Edge{link(a, c, 1), link(b, Identifier{"t", "outside"}, 1)})
	want := [][]Identifier{{a, c}, {b}, {d}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Components = %v, want %v", got, want)
	}
}

func without(edges, cut []Edge) []Edge {
	return slices.DeleteFunc(slices.Clone(edges), func(e Edge) bool {
		return slices.ContainsFunc(cut, func(c Edge) bool { return c.A == e.A && c.B == e.B })
	})
}

func connected(ids []Identifier, edges []Edge, a, b Identifier) bool {
	for _, part := range Components(ids, edges) {
		if slices.Contains(part, a) {
			return slices.Contains(part, b)
		}
	}
	return false
}

func weight(es []Edge) int {
	w := 0
	for _, e := range es {
		w += e.Count
	}
	return w
}
