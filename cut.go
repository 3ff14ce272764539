package idgraph

import (
	"slices"
	"sort"
)

// MaxCutIdentifiers bounds the component MinCut works on: a profile holds
// at most DefaultMaxIdentifiers identifiers, and a cut is computed on one
// profile, never on a whole space.
const MaxCutIdentifiers = DefaultMaxIdentifiers

// MinCut returns the links of least total evidence whose removal leaves no
// chain of edges between a and b: a minimum s-t cut over edges, each edge
// an undirected link weighing its Count (an edge with no count weighs 1).
// The cut comes in canonical order (A, then B). Errors: EINVALID when a
// and b are the same identifier or the edges join more than
// MaxCutIdentifiers identifiers; ENOTFOUND when a or b is on no edge.
func MinCut(edges []Edge, a, b Identifier) ([]Edge, error) {
	if a == b {
		return nil, Errorf(EINVALID, "apart: %s and %s are the same identifier", a, b)
	}
	g := newFlowGraph(edges)
	if len(g.index) > MaxCutIdentifiers {
		return nil, Errorf(EINVALID, "apart: the profile holds %d identifiers, more than %d", len(g.index), MaxCutIdentifiers)
	}
	s, ok := g.index[a]
	if !ok {
		return nil, Errorf(ENOTFOUND, "apart: %s is linked to nothing in the profile", a)
	}
	t, ok := g.index[b]
	if !ok {
		return nil, Errorf(ENOTFOUND, "apart: %s is linked to nothing in the profile", b)
	}
	g.maxFlow(s, t)
	side := g.reachable(s)
	var cut []Edge
	for _, e := range edges {
		if side[g.index[e.A]] != side[g.index[e.B]] {
			cut = append(cut, e)
		}
	}
	sortEdges(cut)
	return cut, nil
}

// Components returns the connected components of ids under edges (edges to
// identifiers outside ids are ignored), each sorted, the components in the
// order of their smallest identifier.
func Components(ids []Identifier, edges []Edge) [][]Identifier {
	parent := make(map[Identifier]Identifier, len(ids))
	for _, id := range ids {
		parent[id] = id
	}
	find := func(x Identifier) Identifier {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range edges {
		if _, ok := parent[e.A]; !ok {
			continue
		}
		if _, ok := parent[e.B]; !ok {
			continue
		}
		ra, rb := find(e.A), find(e.B)
		if ra != rb {
			parent[ra] = rb
		}
	}
	groups := map[Identifier][]Identifier{}
	for _, id := range ids {
		r := find(id)
		groups[r] = append(groups[r], id)
	}
	out := make([][]Identifier, 0, len(groups))
	for _, g := range groups {
		sort.Slice(g, func(i, j int) bool { return g[i].Less(g[j]) })
		out = append(out, slices.Compact(g))
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0].Less(out[j][0]) })
	return out
}

// sortEdges puts edges in canonical order: by A, then B.
func sortEdges(es []Edge) {
	sort.Slice(es, func(i, j int) bool {
		if es[i].A != es[j].A {
			return es[i].A.Less(es[j].A)
		}
		return es[i].B.Less(es[j].B)
	})
}

// flowGraph is a residual graph for Dinic's maximum flow. Each undirected
// link is a pair of arcs that are each other's reverse, both with the
// link's weight as capacity.
type flowGraph struct {
	index map[Identifier]int
	adj   [][]int // arc ids leaving each node
	to    []int
	cap   []int
	level []int
	next  []int // per node, the next arc to try in the current phase
}

func newFlowGraph(edges []Edge) *flowGraph {
	g := &flowGraph{index: map[Identifier]int{}}
	node := func(id Identifier) int {
		i, ok := g.index[id]
		if !ok {
			i = len(g.adj)
			g.index[id] = i
			g.adj = append(g.adj, nil)
		}
		return i
	}
	for _, e := range edges {
		u, v := node(e.A), node(e.B)
		w := max(e.Count, 1)
		g.adj[u] = append(g.adj[u], len(g.to))
		g.to, g.cap = append(g.to, v), append(g.cap, w)
		g.adj[v] = append(g.adj[v], len(g.to))
		g.to, g.cap = append(g.to, u), append(g.cap, w)
	}
	return g
}

// maxFlow pushes the most flow from s to t.
func (g *flowGraph) maxFlow(s, t int) int {
	total := 0
	for g.levels(s, t) {
		g.next = make([]int, len(g.adj))
		for {
			f := g.push(s, t, int(^uint(0)>>1))
			if f == 0 {
				break
			}
			total += f
		}
	}
	return total
}

// levels labels nodes by their distance from s over arcs with capacity
// left, and reports whether t is reached.
func (g *flowGraph) levels(s, t int) bool {
	g.level = make([]int, len(g.adj))
	for i := range g.level {
		g.level[i] = -1
	}
	g.level[s] = 0
	queue := []int{s}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, a := range g.adj[u] {
			if v := g.to[a]; g.cap[a] > 0 && g.level[v] < 0 {
				g.level[v] = g.level[u] + 1
				queue = append(queue, v)
			}
		}
	}
	return g.level[t] >= 0
}

// push sends up to limit along one path of increasing level from u to t
// and returns how much it sent.
func (g *flowGraph) push(u, t, limit int) int {
	if u == t {
		return limit
	}
	for ; g.next[u] < len(g.adj[u]); g.next[u]++ {
		a := g.adj[u][g.next[u]]
		v := g.to[a]
		if g.cap[a] <= 0 || g.level[v] != g.level[u]+1 {
			continue
		}
		if f := g.push(v, t, min(limit, g.cap[a])); f > 0 {
			g.cap[a] -= f
			g.cap[a^1] += f
			return f
		}
	}
	return 0
}

// reachable marks the nodes s still reaches over arcs with capacity left:
// after a maximum flow, s's side of a minimum cut.
func (g *flowGraph) reachable(s int) []bool {
	seen := make([]bool, len(g.adj))
	seen[s] = true
	stack := []int{s}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, a := range g.adj[u] {
			if v := g.to[a]; g.cap[a] > 0 && !seen[v] {
				seen[v] = true
				stack = append(stack, v)
			}
		}
	}
	return seen
}
