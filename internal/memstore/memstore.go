// Package memstore is idgraph's batch resolution in memory: the flow of
// graph.Store.Resolve around the domain's resolver (idgraph.NewResolver),
// with profiles and memberships kept in maps instead of Neo4j. The
// benchmark runs the rules through it without a database, and tests use it
// where a store must resolve events for real.
package memstore

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/idgraph/idgraph"
)

// Store holds spaces in memory. It is safe for concurrent use; it resolves
// one batch at a time.
type Store struct {
	mu      sync.Mutex
	spaces  map[string]*space
	created int // profiles created, for their ids
}

// space is one space's state: what graph/ keeps in Neo4j.
type space struct {
	claimed  map[claim]bool                // events stored, by source and message id
	owner    map[idgraph.Identifier]string // live profile id of every identifier
	profiles map[string]idgraph.Profile    // live profiles by id
	// links holds each live link under both its identifiers; shared and
	// company are what idgraph.Resolver.Know wants (see shared.go).
	links   map[idgraph.Identifier]map[idgraph.Identifier]idgraph.Edge
	shared  map[idgraph.Identifier]idgraph.SharedMark
	company map[idgraph.Identifier][]idgraph.Companion
}

type claim struct{ source, messageID string }

// New returns an empty store. It names profiles prf_1, prf_2, ... in the
// order it creates them, so the same events give the same ids.
func New() *Store {
	return &Store{spaces: map[string]*space{}}
}

func (s *Store) space(id string) *space {
	sp := s.spaces[id]
	if sp == nil {
		sp = &space{
			claimed: map[claim]bool{}, owner: map[idgraph.Identifier]string{}, profiles: map[string]idgraph.Profile{},
			links:  map[idgraph.Identifier]map[idgraph.Identifier]idgraph.Edge{},
			shared: map[idgraph.Identifier]idgraph.SharedMark{}, company: map[idgraph.Identifier][]idgraph.Companion{},
		}
		s.spaces[id] = sp
	}
	return sp
}

func (s *Store) newID() string {
	s.created++
	return fmt.Sprintf("prf_%d", s.created)
}

// Resolve applies a batch of events as graph.Store.Resolve does: an event
// whose message id its source sent before (earlier in the batch or in an
// earlier batch) is a duplicate and skipped; the others' identifiers are
// extracted with space.Rules and applied in order by one idgraph.Resolver
// given the current state of the profiles they belong to, and what it
// decides is kept. The counts are graph.Store's. Errors: EUNAVAILABLE when
// ctx has ended.
func (s *Store) Resolve(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	if err := ctx.Err(); err != nil {
		return idgraph.BatchResult{}, idgraph.WrapError(idgraph.EUNAVAILABLE, err, "memstore: resolve")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.space(space.ID)
	fresh := sp.claim(source.ID, events)
	res := idgraph.BatchResult{Loaded: len(fresh), Duplicates: len(events) - len(fresh)}
	if len(fresh) == 0 {
		return res, nil
	}
	ids := make([][]idgraph.Identifier, len(fresh))
	for i, e := range fresh {
		ids[i], _ = space.Rules.Extract(e)
	}
	before, out := s.resolve(sp, space.Rules, source, fresh, ids)
	sp.keep(out)
	res.Merges, res.Rejections = len(out.Merges), len(out.Rejections)
	for _, p := range out.Profiles {
		if p.MergedInto == "" && !slices.ContainsFunc(before, func(q idgraph.Profile) bool { return q.ID == p.ID }) {
			res.Profiles++
		}
	}
	return res, nil
}

// resolve runs the batch through the resolver, as graph.Store does: when
// it shows identifiers shared, what they glued is re-homed and the batch is
// resolved again, with them known shared, until it shows none new. It
// returns the profiles the last pass started from and what it decided.
func (s *Store) resolve(sp *space, rules idgraph.Rules, source idgraph.Source, events []idgraph.Event, ids [][]idgraph.Identifier) ([]idgraph.Profile, idgraph.Resolution) {
	for pass := 1; ; pass++ {
		before := sp.current(ids)
		r := idgraph.NewResolver(rules, before, s.newID)
		r.Know(sp.states(ids))
		for i, e := range events {
			r.Apply(e, source.ID, ids[i])
		}
		out := r.Result()
		if len(out.Shared) == 0 || pass == idgraph.MaxSharedPasses {
			return before, out
		}
		for _, m := range out.Shared {
			s.rehome(sp, m)
		}
	}
}

// claim returns the events of the batch that source has not sent before,
// in order, and records them as sent.
func (sp *space) claim(source string, events []idgraph.Event) []idgraph.Event {
	var fresh []idgraph.Event
	for _, e := range events {
		k := claim{source, e.MessageID}
		if sp.claimed[k] {
			continue
		}
		sp.claimed[k] = true
		fresh = append(fresh, e)
	}
	return fresh
}

// current returns the live profiles holding any of ids, sorted by id.
func (sp *space) current(ids [][]idgraph.Identifier) []idgraph.Profile {
	var pids []string
	for _, batch := range ids {
		for _, id := range batch {
			if pid := sp.owner[id]; pid != "" {
				pids = append(pids, pid)
			}
		}
	}
	slices.Sort(pids)
	pids = slices.Compact(pids)
	ps := make([]idgraph.Profile, len(pids))
	for i, pid := range pids {
		ps[i] = sp.profiles[pid]
	}
	return ps
}

// keep stores what a resolver decided: profiles in their new state (merged
// ones dropped) and memberships.
func (sp *space) keep(out idgraph.Resolution) {
	for _, p := range out.Profiles {
		if p.MergedInto != "" {
			delete(sp.profiles, p.ID)
			continue
		}
		sp.profiles[p.ID] = p
	}
	for _, m := range out.Memberships {
		sp.owner[m.Identifier] = m.ProfileID
	}
	for _, e := range out.Edges {
		sp.link(e)
	}
	for _, c := range out.Companies {
		sp.company[c.Identifier] = c.Company
	}
	for _, m := range out.Shared {
		sp.shared[m.Identifier] = m
	}
}

// link keeps e as a live link, adding to one already kept.
func (sp *space) link(e idgraph.Edge) {
	if old, ok := sp.links[e.A][e.B]; ok {
		e.Count += old.Count
		if old.FirstSeen.Before(e.FirstSeen) {
			e.FirstSeen, e.FirstMessageID = old.FirstSeen, old.FirstMessageID
		}
	}
	for _, end := range [][2]idgraph.Identifier{{e.A, e.B}, {e.B, e.A}} {
		if sp.links[end[0]] == nil {
			sp.links[end[0]] = map[idgraph.Identifier]idgraph.Edge{}
		}
		sp.links[end[0]][end[1]] = e
	}
}
