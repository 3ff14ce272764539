package graph

import "github.com/idgraph/idgraph"

// Store is idgraph's identity graph on Neo4j: it implements every service
// of the root package's store.go.
type Store struct {
	db *DB
	// signals wakes the change feed's waiters when a write commits.
	signals *changeSignals
	// rules caches each space's active rules version (rules.go).
	rules rulesCache
	// onCommit is called after each write of a space (OnCommit).
	onCommit []func(space string)
}

// NewStore returns the store over db.
func NewStore(db *DB) *Store { return &Store{db: db, signals: &changeSignals{}} }

var (
	_ idgraph.ResolutionService  = (*Store)(nil)
	_ idgraph.ProfileService     = (*Store)(nil)
	_ idgraph.EventService       = (*Store)(nil)
	_ idgraph.ExplanationService = (*Store)(nil)
	_ idgraph.HistoryService     = (*Store)(nil)
	_ idgraph.DeletionService    = (*Store)(nil)
	_ idgraph.IntegrityService   = (*Store)(nil)
	_ idgraph.LogService         = (*Store)(nil)
	_ idgraph.ChangeService      = (*Store)(nil)
	_ idgraph.AccountService     = (*Store)(nil)
)
