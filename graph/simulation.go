package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// What a simulation reads of a space: its stored events in arrival order,
// its live memberships, refusals, suppressed values and never decisions.

// collect runs the named read query and reads every record with read,
// streaming, so a whole space's rows are never held twice.
func collect[T any](ctx context.Context, s *Store, op, name string, params map[string]any, read func(*neo4j.Record) (T, error)) ([]T, error) {
	return Read(ctx, s.db, op, func(tx neo4j.ManagedTransaction) ([]T, error) {
		res, err := tx.Run(ctx, cypher.Query(name), params)
		if err != nil {
			return nil, err
		}
		var out []T
		for res.Next(ctx) {
			v, err := read(res.Record())
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, res.Err()
	})
}

// EventArrivals returns the keys of the space's stored events, those
// received at or after since only when it is not zero, in arrival order
// (idgraph.SortArrivals).
func (s *Store) EventArrivals(ctx context.Context, space string, since time.Time) ([]idgraph.ArrivalKey, error) {
	keys, err := collect(ctx, s, "list event arrivals", "list_event_arrivals",
		map[string]any{"space": space, "since": nullTime(since)}, func(rec *neo4j.Record) (idgraph.ArrivalKey, error) {
			var k idgraph.ArrivalKey
			var err error
			if k.SourceID, err = value[string](rec, "source_id"); err != nil {
				return k, err
			}
			if k.MessageID, err = value[string](rec, "message_id"); err != nil {
				return k, err
			}
			if k.ReceivedAt, err = value[time.Time](rec, "received_at"); err != nil {
				return k, err
			}
			k.Timestamp, err = value[time.Time](rec, "timestamp")
			return k, err
		})
	if err != nil {
		return nil, err
	}
	idgraph.SortArrivals(keys)
	return keys, nil
}

// ArchivedEvents returns the stored events of the space named by keys, in
// the order of keys; a key naming no event is left out.
func (s *Store) ArchivedEvents(ctx context.Context, space string, keys []idgraph.ArrivalKey) ([]idgraph.ArchivedEvent, error) {
	rows := make([]map[string]any, len(keys))
	for i, k := range keys {
		rows[i] = map[string]any{"source_id": k.SourceID, "message_id": k.MessageID}
	}
	found, err := collect(ctx, s, "read stored events", "find_archived_events",
		map[string]any{"space": space, "keys": rows}, archivedEvent)
	if err != nil {
		return nil, err
	}
	type key struct{ source, id string }
	byKey := make(map[key]idgraph.ArchivedEvent, len(found))
	for _, e := range found {
		byKey[key{e.SourceID, e.MessageID}] = e
	}
	out := make([]idgraph.ArchivedEvent, 0, len(keys))
	for _, k := range keys {
		if e, ok := byKey[key{k.SourceID, k.MessageID}]; ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// archivedEvent reads a row of find_archived_events.
func archivedEvent(rec *neo4j.Record) (idgraph.ArchivedEvent, error) {
	var e idgraph.ArchivedEvent
	for key, dst := range map[string]*string{
		"source_id": &e.SourceID, "message_id": &e.MessageID, "type": &e.Type, "event": &e.Event.Event,
		"name": &e.Name, "user_id": &e.UserID, "anonymous_id": &e.AnonymousID,
		"previous_id": &e.PreviousID, "group_id": &e.GroupID,
	} {
		v, err := value[string](rec, key)
		if err != nil {
			return e, err
		}
		*dst = v
	}
	for key, dst := range map[string]*time.Time{
		"timestamp": &e.Timestamp, "received_at": &e.ReceivedAt, "sent_at": &e.SentAt,
		"original_timestamp": &e.OriginalTimestamp,
	} {
		v, err := value[time.Time](rec, key)
		if err != nil {
			return e, err
		}
		*dst = utc(v)
	}
	for key, dst := range map[string]*map[string]any{
		"properties": &e.Properties, "traits": &e.Traits, "context": &e.Context, "integrations": &e.Integrations,
	} {
		text, err := value[string](rec, key)
		if err != nil {
			return e, err
		}
		if *dst, err = decodeJSONMap(text); err != nil {
			return e, idgraph.WrapError(idgraph.EINTERNAL, err, "event %s: bad %s", e.MessageID, key)
		}
	}
	ids, err := stringList(rec, "identifiers")
	if err != nil {
		return e, err
	}
	for _, s := range ids {
		id, err := idgraph.ParseIdentifier(s)
		if err != nil {
			return e, idgraph.WrapError(idgraph.EINTERNAL, err, "event %s: bad identifier", e.MessageID)
		}
		e.Accepted = append(e.Accepted, id)
	}
	return e, nil
}

// Members returns every identifier of the space with its live profile and
// first sighting.
func (s *Store) Members(ctx context.Context, space string) ([]idgraph.Member, error) {
	return collect(ctx, s, "list members", "list_members", map[string]any{"space": space}, func(rec *neo4j.Record) (idgraph.Member, error) {
		var m idgraph.Member
		id, err := recordIdentifier(rec)
		if err != nil {
			return m, err
		}
		m.Identifier = id
		if m.ProfileID, err = value[string](rec, "profile_id"); err != nil {
			return m, err
		}
		m.FirstSeen, err = value[time.Time](rec, "first_seen")
		return m, err
	})
}

// RuleRefusals counts the space's REJECTED links by rule.
func (s *Store) RuleRefusals(ctx context.Context, space string) (map[string]int, error) {
	res, err := s.db.ReadQuery(ctx, "count refusals by rule", cypher.Query("count_rule_refusals"), map[string]any{"space": space})
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, rec := range res.Records {
		rule, err := value[string](rec, "rule")
		if err != nil {
			return nil, err
		}
		n, err := value[int64](rec, "refusals")
		if err != nil {
			return nil, err
		}
		out[rule] = int(n)
	}
	return out, nil
}

// SuppressedSet returns the space's suppressed identifier values.
func (s *Store) SuppressedSet(ctx context.Context, space string) (map[idgraph.Identifier]bool, error) {
	res, err := s.db.ReadQuery(ctx, "list suppressed", cypher.Query("list_suppressed"), map[string]any{"space": space})
	if err != nil {
		return nil, err
	}
	return identifierSet(res.Records)
}
