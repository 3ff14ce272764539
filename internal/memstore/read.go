package memstore

import (
	"context"
	"maps"

	"github.com/idgraph/idgraph"
)

// Profile returns the live profile holding id, as the resolver left it.
// Errors: ENOTFOUND when no profile holds id.
func (s *Store) Profile(_ context.Context, space string, id idgraph.Identifier) (idgraph.Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp := s.spaces[space]; sp != nil {
		if pid := sp.owner[id]; pid != "" {
			return sp.profiles[pid], nil
		}
	}
	return idgraph.Profile{}, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
}

// Memberships returns the live profile id of every identifier of space: the
// partition the rules made.
func (s *Store) Memberships(space string) map[idgraph.Identifier]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp := s.spaces[space]; sp != nil {
		return maps.Clone(sp.owner)
	}
	return map[idgraph.Identifier]string{}
}
