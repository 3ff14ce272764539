package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// Reading records: profiles with their members, identifiers, typed columns,
// and running a named query in a transaction.

// profilesFromRows reads rows of profile fields and their members (see
// lock_profiles.cypher), one row per profile.
func profilesFromRows(records []*neo4j.Record) ([]idgraph.Profile, error) {
	out := make([]idgraph.Profile, 0, len(records))
	for _, rec := range records {
		p, err := profileFromRecord(rec)
		if err != nil {
			return nil, err
		}
		members, err := value[[]any](rec, "members")
		if err != nil {
			return nil, err
		}
		p.Identifiers = make([]idgraph.Sighting, len(members))
		for i, m := range members {
			if p.Identifiers[i], err = sightingFromList(m); err != nil {
				return nil, idgraph.WrapError(idgraph.EINTERNAL, err, "profile %s: member %d", p.ID, i)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func profileFromRecord(rec *neo4j.Record) (idgraph.Profile, error) {
	var p idgraph.Profile
	var err error
	if p.ID, _, err = neo4j.GetRecordValue[string](rec, "id"); err != nil {
		return p, err
	}
	if p.CreatedAt, _, err = neo4j.GetRecordValue[time.Time](rec, "created_at"); err != nil {
		return p, err
	}
	if p.UpdatedAt, _, err = neo4j.GetRecordValue[time.Time](rec, "updated_at"); err != nil {
		return p, err
	}
	mc, _, err := neo4j.GetRecordValue[int64](rec, "merge_count")
	if err != nil {
		return p, err
	}
	p.MergeCount = int(mc)
	traits, _, err := neo4j.GetRecordValue[string](rec, "traits")
	if err != nil {
		return p, err
	}
	p.Traits = idgraph.Traits{}
	if traits != "" {
		if err := json.Unmarshal([]byte(traits), &p.Traits); err != nil {
			return p, idgraph.WrapError(idgraph.EINTERNAL, err, "profile %s: bad traits", p.ID)
		}
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, nil
}

// sightingFromList reads a member as lock_profiles.cypher returns it:
// [type, value, first_seen, last_seen, first_source_id, first_message_id].
func sightingFromList(v any) (idgraph.Sighting, error) {
	var s idgraph.Sighting
	f, ok := v.([]any)
	if !ok || len(f) != 6 {
		return s, fmt.Errorf("want a list of 6 fields, got %T %v", v, v)
	}
	var strs [4]string
	for i, j := range []int{0, 1, 4, 5} {
		if f[j] == nil {
			continue
		}
		if strs[i], ok = f[j].(string); !ok {
			return s, fmt.Errorf("field %d: want a string, got %T", j, f[j])
		}
	}
	var times [2]time.Time
	for i, j := range []int{2, 3} {
		if f[j] == nil {
			continue
		}
		if times[i], ok = f[j].(time.Time); !ok {
			return s, fmt.Errorf("field %d: want a datetime, got %T", j, f[j])
		}
	}
	s.Identifier = idgraph.Identifier{Type: strs[0], Value: strs[1]}
	s.FirstSourceID, s.FirstMessageID = strs[2], strs[3]
	s.FirstSeen, s.LastSeen = times[0].UTC(), times[1].UTC()
	return s, nil
}

func recordIdentifier(rec *neo4j.Record) (idgraph.Identifier, error) {
	t, _, err := neo4j.GetRecordValue[string](rec, "type")
	if err != nil {
		return idgraph.Identifier{}, err
	}
	v, _, err := neo4j.GetRecordValue[string](rec, "value")
	return idgraph.Identifier{Type: t, Value: v}, err
}

func identifierSet(records []*neo4j.Record) (map[idgraph.Identifier]bool, error) {
	set := make(map[idgraph.Identifier]bool, len(records))
	for _, rec := range records {
		id, err := recordIdentifier(rec)
		if err != nil {
			return nil, err
		}
		set[id] = true
	}
	return set, nil
}

// run runs the named query in tx and collects its records.
func run(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]*neo4j.Record, error) {
	result, err := tx.Run(ctx, cypher.Query(name), params)
	if err != nil {
		return nil, err
	}
	return result.Collect(ctx)
}

// runRows runs the named query in tx and reads each record with read.
func runRows[T any](ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any, read func(*neo4j.Record) (T, error)) ([]T, error) {
	records, err := run(ctx, tx, query, params)
	if err != nil {
		return nil, err
	}
	return readRows(records, read)
}

// readRows reads each record with read.
func readRows[T any](records []*neo4j.Record, read func(*neo4j.Record) (T, error)) ([]T, error) {
	out := make([]T, 0, len(records))
	for _, rec := range records {
		v, err := read(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// value reads a column of a record as T, translating a type mismatch into an
// internal error; a null column gives T's zero value.
func value[T neo4j.RecordValue](rec *neo4j.Record, key string) (T, error) {
	v, _, err := neo4j.GetRecordValue[T](rec, key)
	if err != nil {
		return v, idgraph.WrapError(idgraph.EINTERNAL, err, "read column %s", key)
	}
	return v, nil
}

// identifierRows are ids as query parameters: [{type, value}].
func identifierRows(ids []idgraph.Identifier) []map[string]any {
	rows := make([]map[string]any, len(ids))
	for i, id := range ids {
		rows[i] = map[string]any{"type": id.Type, "value": id.Value}
	}
	return rows
}

// readNested reads the column key of rec, a list of maps, with read: each
// map as a record of its keys, so the readers of a query's rows read the
// same rows collected into one column of another.
func readNested[T any](rec *neo4j.Record, key string, read func(*neo4j.Record) (T, error)) ([]T, error) {
	rows, err := value[[]any](rec, key)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(rows))
	for _, row := range rows {
		m, ok := row.(map[string]any)
		if !ok {
			return nil, idgraph.Errorf(idgraph.EINTERNAL, "column %s: want maps, got %T", key, row)
		}
		r := &neo4j.Record{Keys: make([]string, 0, len(m)), Values: make([]any, 0, len(m))}
		for k, v := range m {
			r.Keys = append(r.Keys, k)
			r.Values = append(r.Values, v)
		}
		t, err := read(r)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
