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
		sp = &space{claimed: map[claim]bool{}, owner: map[idgraph.Identifier]string{}, profiles: map[string]idgraph.Profile{}}
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
	before := sp.current(ids)
	r := idgraph.NewResolver(space.Rules, before, s.newID)
	for i, e := range fresh {
		r.Apply(e, source.ID, ids[i])
	}
	out := r.Result()
	sp.keep(out)
	res.Merges, res.Rejections = len(out.Merges), len(out.Rejections)
	for _, p := range out.Profiles {
		if p.MergedInto == "" && !slices.ContainsFunc(before, func(q idgraph.Profile) bool { return q.ID == p.ID }) {
			res.Profiles++
		}
	}
	return res, nil
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
}
