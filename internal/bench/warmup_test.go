package bench

import (
	"math/rand/v2"
	"testing"
)

func TestDealGivesDisjointParts(t *testing.T) {
	xs := make([]int, 50)
	for i := range xs {
		xs[i] = i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	parts := deal(rng, xs, 5, 20, 5, 20)
	seen := map[int]int{}
	for i, p := range parts {
		for _, x := range p {
			if j, ok := seen[x]; ok {
				t.Errorf("%d is in part %d and part %d: the parts must not share an item", x, j, i)
			}
			seen[x] = i
		}
	}
	if got := []int{len(parts[0]), len(parts[1]), len(parts[2]), len(parts[3])}; got[0] != 5 || got[1] != 20 || got[2] != 5 || got[3] != 20 {
		t.Errorf("part sizes: got %v, want [5 20 5 20]", got)
	}
	short := deal(rng, xs[:8], 2, 5, 2, 5)
	if got := []int{len(short[0]), len(short[1]), len(short[2]), len(short[3])}; got[0] != 2 || got[1] != 5 || got[2] != 1 || got[3] != 0 {
		t.Errorf("part sizes from 8 items: got %v, want [2 5 1 0]: a part takes what is left", got)
	}
}

func TestWarmUpSizes(t *testing.T) {
	for _, c := range []struct{ clients, n, want int }{{1, 5000, 200}, {1, 1000, 100}, {16, 100, 16}, {16, 20000, 200}} {
		if got := warmUpRequests(c.clients, c.n); got != c.want {
			t.Errorf("warmUpRequests(%d, %d) = %d, want %d", c.clients, c.n, got, c.want)
		}
	}
	if got := warmSize(200, 179289); got != 200 {
		t.Errorf("warmSize(200, 179289) = %d, want 200", got)
	}
	if got := warmSize(200, 90); got != 9 {
		t.Errorf("warmSize(200, 90) = %d, want 9 (a tenth, so the timed requests keep the rest)", got)
	}
}
