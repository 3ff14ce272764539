package graph

import "github.com/idgraph/idgraph"

// Store is idgraph's identity graph on Neo4j: it implements idgraph.Store.
type Store struct {
	db *DB
}

// NewStore returns the store over db.
func NewStore(db *DB) *Store { return &Store{db: db} }

var _ idgraph.Store = (*Store)(nil)
