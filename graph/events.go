package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// Events returns the events of the live profile holding id as q selects
// them (see idgraph.EventQuery), ordered by (timestamp, message id), at most
// q.Limit (all when it is zero or less). ENOTFOUND when no profile holds id.
func (s *Store) Events(ctx context.Context, space string, id idgraph.Identifier, q idgraph.EventQuery) ([]idgraph.StoredEvent, error) {
	query, params := eventsQuery(space, id, q)
	res, err := s.db.ReadQuery(ctx, "list events", cypher.Query(query), params)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	events := []idgraph.StoredEvent{}
	for _, rec := range res.Records {
		msgID, err := value[string](rec, "message_id")
		if err != nil {
			return nil, err
		}
		if msgID == "" {
			continue // the profile has no event in range: one row of nulls
		}
		e, err := storedEvent(rec)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, nil
}

// eventsQuery returns the query behind Events and its parameters.
func eventsQuery(space string, id idgraph.Identifier, q idgraph.EventQuery) (string, map[string]any) {
	limit := int64(q.Limit)
	if limit <= 0 {
		limit = math.MaxInt64
	}
	params := map[string]any{
		"space": space, "type": id.Type, "value": id.Value, "limit": limit,
		"start": timeOr(q.Start, earliest), "end": timeOr(q.End, latest),
		"include": nonNil(q.Include), "exclude": nonNil(q.Exclude),
	}
	// The cursor: no event comes before (newest first) the latest time, or
	// after (oldest first) the earliest, whatever its message id.
	query, cursorTime, cursorID := "list_events", latest, ""
	if q.Oldest {
		query, cursorTime = "list_events_oldest", earliest
	}
	if q.After != nil {
		cursorTime, cursorID = q.After.Timestamp, q.After.MessageID
	}
	if q.Oldest {
		params["after_timestamp"], params["after_message_id"] = cursorTime, cursorID
	} else {
		params["before_timestamp"], params["before_message_id"] = cursorTime, cursorID
	}
	return query, params
}

// earliest and latest bound event times where a query leaves them open:
// the page queries compare times only, so that Neo4j can seek its index.
var (
	earliest = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	latest   = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// timeOr returns t, or or when t is zero.
func timeOr(t, or time.Time) time.Time {
	if t.IsZero() {
		return or
	}
	return t
}

// storedEvent reads an event row of list_events.
func storedEvent(rec *neo4j.Record) (idgraph.StoredEvent, error) {
	var e idgraph.StoredEvent
	strs := []struct {
		key string
		dst *string
	}{
		{"message_id", &e.MessageID}, {"source_id", &e.SourceID}, {"type", &e.Type},
		{"event", &e.Event}, {"name", &e.Name}, {"user_id", &e.UserID}, {"anonymous_id", &e.AnonymousID},
	}
	for _, f := range strs {
		v, err := value[string](rec, f.key)
		if err != nil {
			return e, err
		}
		*f.dst = v
	}
	times := []struct {
		key string
		dst *time.Time
	}{{"timestamp", &e.Timestamp}, {"received_at", &e.ReceivedAt}}
	for _, f := range times {
		v, err := value[time.Time](rec, f.key)
		if err != nil {
			return e, err
		}
		*f.dst = utc(v)
	}
	raws := []struct {
		key string
		dst *json.RawMessage
	}{{"properties", &e.Properties}, {"context", &e.Context}}
	for _, f := range raws {
		text, err := value[string](rec, f.key)
		if err != nil {
			return e, err
		}
		if text == "" {
			continue
		}
		if !json.Valid([]byte(text)) {
			return e, idgraph.Errorf(idgraph.EINTERNAL, "event %s: bad %s: not JSON", e.MessageID, f.key)
		}
		*f.dst = json.RawMessage(text)
	}
	text, err := value[string](rec, "traits")
	if err != nil {
		return e, err
	}
	if e.Traits, err = decodeJSONMap(text); err != nil {
		return e, idgraph.WrapError(idgraph.EINTERNAL, err, "event %s: bad traits", e.MessageID)
	}
	ids, err := stringList(rec, "identifiers")
	if err != nil {
		return e, err
	}
	if len(ids) > 0 {
		e.Identifiers = ids
	}
	return e, nil
}

// decodeJSONMap decodes a JSON object stored as text; "" is nil. Numbers
// come back as the root package makes them: int64 when integral and in
// range, float64 otherwise.
func decodeJSONMap(text string) (map[string]any, error) {
	if text == "" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	for k, v := range m {
		m[k] = plainNumbers(v)
	}
	return m, nil
}

// plainNumbers replaces the json.Numbers in a decoded value by int64 or
// float64, in place for maps and slices.
func plainNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = plainNumbers(x)
		}
	case []any:
		for i, x := range v {
			v[i] = plainNumbers(x)
		}
	}
	return v
}

// utc returns t in UTC; the zero time stays zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// eventRef reads an event reference from the columns <prefix>message_id,
// <prefix>source_id, <prefix>type, <prefix>event and <prefix>timestamp; nil
// when the message id is null.
func eventRef(rec *neo4j.Record, prefix string) (*idgraph.EventRef, error) {
	var r idgraph.EventRef
	var err error
	if r.MessageID, err = value[string](rec, prefix+"message_id"); err != nil || r.MessageID == "" {
		return nil, err
	}
	if r.SourceID, err = value[string](rec, prefix+"source_id"); err != nil {
		return nil, err
	}
	if r.Type, err = value[string](rec, prefix+"type"); err != nil {
		return nil, err
	}
	if r.Event, err = value[string](rec, prefix+"event"); err != nil {
		return nil, err
	}
	t, err := value[time.Time](rec, prefix+"timestamp")
	if err != nil {
		return nil, err
	}
	r.Timestamp = utc(t)
	return &r, nil
}

// nonNil gives Cypher an empty list for nil.
func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
