package idgraph

// Explain says why from and to would share a profile under the replay's
// rules (the shortest chain of links the replay accepted between them, at
// most MaxExplainHops) or why they would not (the links it refused between
// their profiles), as ExplanationService does for the live profiles.
// ENOTFOUND when the replay has no profile holding from or to.
func (p *Replay) Explain(from, to Identifier) (Explanation, error) {
	fp, tp := p.r.owner[from], p.r.owner[to]
	if fp == "" {
		return Explanation{}, Errorf(ENOTFOUND, "no profile holds %s under the candidate rules", from)
	}
	if tp == "" {
		return Explanation{}, Errorf(ENOTFOUND, "no profile holds %s under the candidate rules", to)
	}
	ex := Explanation{From: from, To: to, FromProfile: fp, ToProfile: tp, Together: fp == tp}
	if ex.Together {
		ex.Path = p.path(from, to)
		return ex, nil
	}
	for _, rej := range p.r.rejections {
		a, b := p.r.owner[rej.From], p.r.owner[rej.To]
		if (a == fp && b == tp) || (a == tp && b == fp) {
			ex.Rejections = append(ex.Rejections, RejectionRef{
				From: rej.From, To: rej.To, Rule: rej.Rule, Detail: rej.Detail, At: rej.At, Count: 1,
				Event: EventRef{MessageID: rej.MessageID, SourceID: rej.SourceID, Timestamp: rej.At},
			})
		}
	}
	return ex, nil
}

// path is a shortest chain of accepted links from a to b, breadth first.
func (p *Replay) path(a, b Identifier) []Hop {
	if a == b {
		return nil
	}
	adj := p.adjacency()
	prev := map[Identifier]*Edge{a: nil}
	frontier := []Identifier{a}
	for depth := 0; depth < MaxExplainHops && len(frontier) > 0; depth++ {
		var next []Identifier
		for _, x := range frontier {
			for _, e := range adj[x] {
				y := e.A
				if y == x {
					y = e.B
				}
				if _, ok := prev[y]; ok {
					continue
				}
				prev[y] = e
				if y == b {
					return hops(prev, a, b)
				}
				next = append(next, y)
			}
		}
		frontier = next
	}
	return nil
}

// hops walks prev back from b to a and returns the chain from a.
func hops(prev map[Identifier]*Edge, a, b Identifier) []Hop {
	var out []Hop
	for x := b; x != a; {
		e := prev[x]
		from := e.A
		if from == x {
			from = e.B
		}
		src := ""
		if len(e.SourceIDs) > 0 {
			src = e.SourceIDs[0]
		}
		out = append(out, Hop{
			From: from, To: x, Count: e.Count, SourceIDs: e.SourceIDs,
			FirstEvent: EventRef{MessageID: e.FirstMessageID, SourceID: src, Timestamp: e.FirstSeen},
			LastEvent:  EventRef{MessageID: e.LastMessageID, SourceID: src, Timestamp: e.LastSeen},
		})
		x = from
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// adjacency indexes the accepted links by identifier, rebuilt when links
// were added since it was last built.
func (p *Replay) adjacency() map[Identifier][]*Edge {
	if p.adj != nil && p.adjEdges == len(p.r.edgeOrder) {
		return p.adj
	}
	adj := make(map[Identifier][]*Edge, len(p.r.owner))
	for _, k := range p.r.edgeOrder {
		e := p.r.edges[k]
		adj[e.A] = append(adj[e.A], e)
		adj[e.B] = append(adj[e.B], e)
	}
	p.adj, p.adjEdges = adj, len(p.r.edgeOrder)
	return adj
}
