package graph

// Store is idgraph's identity graph on Neo4j: it implements idgraph.Store.
type Store struct {
	db *DB
}

// NewStore returns the store over db.
func NewStore(db *DB) *Store { return &Store{db: db} }
