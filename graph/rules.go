package graph

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

var _ idgraph.RulesService = (*Store)(nil)

// rulesCache keeps each space's active rules version, so the write path
// parses a promoted version once, not per batch. Each write transaction
// still reads the number of the active version (find_rules_head, one
// indexed lookup) and reloads when another replica promoted a new one.
type rulesCache struct {
	mu    sync.Mutex
	byKey map[string]idgraph.RulesVersion
}

func (c *rulesCache) get(space string) (idgraph.RulesVersion, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.byKey[space]
	return v, ok
}

func (c *rulesCache) put(space string, v idgraph.RulesVersion) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey = map[string]idgraph.RulesVersion{}
	}
	c.byKey[space] = v
}

// ActiveRules returns the space's active rules version (see
// idgraph.RulesService).
func (s *Store) ActiveRules(ctx context.Context, space idgraph.Space) (idgraph.RulesVersion, error) {
	return Read(ctx, s.db, "read active rules", func(tx neo4j.ManagedTransaction) (idgraph.RulesVersion, error) {
		return s.activeRules(ctx, writeTx{tx, run}, space)
	})
}

// activeRules reads the number of space's active version in tx and answers
// it, from the cache when it holds that number.
func (s *Store) activeRules(ctx context.Context, tx writeTx, space idgraph.Space) (idgraph.RulesVersion, error) {
	recs, err := tx.run(ctx, "find_rules_head", map[string]any{"space": space.ID})
	if err != nil {
		return idgraph.RulesVersion{}, err
	}
	var n int64
	if len(recs) == 1 {
		if n, err = value[int64](recs[0], "version"); err != nil {
			return idgraph.RulesVersion{}, err
		}
	}
	if n == 0 {
		return idgraph.ConfigRules(space), nil
	}
	if v, ok := s.rules.get(space.ID); ok && v.Version == int(n) {
		return v, nil
	}
	recs, err = tx.run(ctx, "find_rules_versions", map[string]any{"space": space.ID, "version": n})
	if err != nil {
		return idgraph.RulesVersion{}, err
	}
	vs, err := readRows(recs, rulesVersion)
	if err != nil {
		return idgraph.RulesVersion{}, err
	}
	if len(vs) != 1 {
		return idgraph.RulesVersion{}, idgraph.Errorf(idgraph.EINTERNAL, "rules version %d of space %s vanished", n, space.ID)
	}
	s.rules.put(space.ID, vs[0])
	return vs[0], nil
}

// RulesVersions returns every version of the space's rules, oldest first
// (see idgraph.RulesService).
func (s *Store) RulesVersions(ctx context.Context, space idgraph.Space) ([]idgraph.RulesVersion, error) {
	res, err := s.db.ReadQuery(ctx, "list rules versions", cypher.Query("find_rules_versions"), map[string]any{"space": space.ID, "version": nil})
	if err != nil {
		return nil, err
	}
	out := []idgraph.RulesVersion{idgraph.ConfigRules(space)}
	for _, rec := range res.Records {
		v, err := rulesVersion(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// createRulesVersion records v as the space's next version in tx.
// ECONFLICT when its number is taken: another promotion got there first.
func createRulesVersion(ctx context.Context, tx neo4j.ManagedTransaction, space string, v idgraph.RulesVersion) (time.Time, error) {
	doc, err := json.Marshal(v.Rules.Document())
	if err != nil {
		return time.Time{}, idgraph.WrapError(idgraph.EINTERNAL, err, "encode rules")
	}
	recs, err := run(ctx, tx, "create_rules_version", map[string]any{
		"space": space, "version": v.Version, "rules": string(doc), "actor": v.Actor,
		"reason": nullString(v.Reason), "simulation_id": nullString(v.SimulationID),
	})
	if err != nil {
		return time.Time{}, translate(err, "record rules version %d", v.Version)
	}
	return value[time.Time](recs[0], "created_at")
}

// rulesVersion reads a row of find_rules_versions.
func rulesVersion(rec *neo4j.Record) (idgraph.RulesVersion, error) {
	var v idgraph.RulesVersion
	n, err := value[int64](rec, "version")
	if err != nil {
		return v, err
	}
	doc, err := value[string](rec, "rules")
	if err != nil {
		return v, err
	}
	if v.Rules, err = idgraph.ParseRules([]byte(doc)); err != nil {
		return v, idgraph.WrapError(idgraph.EINTERNAL, err, "rules version %d", n)
	}
	v.Version = int(n)
	if v.Actor, err = value[string](rec, "actor"); err != nil {
		return v, err
	}
	if v.Reason, err = value[string](rec, "reason"); err != nil {
		return v, err
	}
	if v.CreatedAt, err = value[time.Time](rec, "created_at"); err != nil {
		return v, err
	}
	v.SimulationID, err = value[string](rec, "simulation_id")
	return v, err
}

// underActiveRules returns space under its active rules: corrections and
// checks judge by the rules the write path uses.
func (s *Store) underActiveRules(ctx context.Context, space idgraph.Space) (idgraph.Space, error) {
	v, err := s.ActiveRules(ctx, space)
	if err != nil {
		return space, err
	}
	return space.WithRules(v), nil
}
