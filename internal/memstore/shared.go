package memstore

import (
	"time"

	"github.com/idgraph/idgraph"
)

// states returns what the resolver should know of ids: which are shared,
// and their companies.
func (sp *space) states(ids [][]idgraph.Identifier) map[idgraph.Identifier]idgraph.IdentifierState {
	out := map[idgraph.Identifier]idgraph.IdentifierState{}
	for _, batch := range ids {
		for _, id := range batch {
			_, shared := sp.shared[id]
			if c := sp.company[id]; shared || len(c) > 0 {
				out[id] = idgraph.IdentifierState{Shared: shared, Company: c}
			}
		}
	}
	return out
}

// rehome marks m's identifier shared and splits the profile holding it
// along it (idgraph.PlanRehome), cutting its links.
func (s *Store) rehome(sp *space, m idgraph.SharedMark) {
	sp.shared[m.Identifier] = m
	pid := sp.owner[m.Identifier]
	if pid == "" {
		return
	}
	p := sp.profiles[pid]
	in := idgraph.SplitInput{Profile: p}
	for _, member := range p.Identifiers {
		for other, e := range sp.links[member.Identifier] {
			if member.Identifier.Less(other) {
				in.Edges = append(in.Edges, e)
			}
		}
	}
	plan, ok := idgraph.PlanRehome(in, m, time.Now(), s.newID)
	if !ok {
		return
	}
	for _, e := range plan.Cut {
		delete(sp.links[e.A], e.B)
		delete(sp.links[e.B], e.A)
	}
	for _, q := range idgraph.RehomedProfiles(p, plan) {
		sp.profiles[q.ID] = q
		for _, s := range q.Identifiers {
			sp.owner[s.Identifier] = q.ID
		}
	}
}
