package graph

import (
	"context"

	"github.com/idgraph/idgraph"
)

// ResolveThrough is Resolve with every statement sent through runFn and
// committed: tests fail a statement to make the driver run the
// transaction again.
func (s *Store) ResolveThrough(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event, runFn RunFunc) (idgraph.BatchResult, error) {
	return s.resolve(ctx, space, source, events, runFn, true)
}
