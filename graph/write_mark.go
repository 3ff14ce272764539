package graph

import (
	"context"
	"errors"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph/cypher"
)

// WriteMark returns the mark of space's last write transaction, by any
// process: every write of a space takes its lock (lock.go), which gives the
// space a new random mark, so a mark that differs from one read before
// says that something wrote the space since. "" before the space's first
// write. A profile cache polls it to drop what other replicas changed.
func (s *Store) WriteMark(ctx context.Context, space string) (string, error) {
	res, err := s.db.ReadQuery(ctx, "find write mark", cypher.Query("find_write_mark"), map[string]any{"space": space})
	if err != nil || len(res.Records) == 0 {
		return "", err
	}
	return value[string](res.Records[0], "write_id")
}

// OnCommit calls f with the space after each write transaction of this
// Store on it ends, committed or not (a write whose outcome is unknown may
// have committed), before the write returns to its caller: a profile cache
// drops the space's entries there. Call it before using the Store.
func (s *Store) OnCommit(f func(space string)) { s.onCommit = append(s.onCommit, f) }

// marked ends a write made of statements that take no lock of the space
// (a rebuild's): one more transaction takes the space's lock, which gives
// the space a new mark for other processes to see, and then OnCommit's
// callers are told. It answers err, or the mark's own error.
func (s *Store) marked(ctx context.Context, space string, err error) error {
	_, lockErr := Write(ctx, s.db, "mark space written", func(tx neo4j.ManagedTransaction) (struct{}, error) {
		return struct{}{}, lockSpaceTx(ctx, tx, space)
	})
	s.committed(space, errors.Join(err, lockErr))
	return errors.Join(err, lockErr)
}
