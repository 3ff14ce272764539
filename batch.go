package idgraph

import (
	"fmt"
	"time"
)

// InvalidEvent reports an event of a batch that was refused at the door,
// as not a valid event, by its position in the batch; the other events are
// unaffected. (Links the identity rules refuse are a Rejection.)
type InvalidEvent struct {
	Index    int      `json:"index"`
	Problems Problems `json:"problems"`
}

// ParseBatch decodes a Segment batch body for a space with the default
// rules; see Rules.ParseBatch.
func ParseBatch(data []byte, receivedAt time.Time) (events []Event, invalid []InvalidEvent, err error) {
	return defaultRules.ParseBatch(data, receivedAt)
}

// ParseBatch decodes a Segment batch body for a space whose rules are r:
//
//	{"batch": [...], "context": {...}, "integrations": {...}, "sentAt": "...", "writeKey": "..."}
//
// The batch's context and integrations merge into every event (the event's
// own keys win, nested objects merge recursively) and its sentAt applies to
// events without their own. An invalid event is reported in invalid by its
// index and does not stop the others; events are checked as
// Rules.ParseEvent checks them. err (EINVALID) is only for a body that is
// not a batch at all.
func (r Rules) ParseBatch(data []byte, receivedAt time.Time) (events []Event, invalid []InvalidEvent, err error) {
	m, p := decodeObject(data)
	if p != nil {
		return nil, nil, Problems{*p}.Err()
	}
	var ps Problems
	f := jsonFields{m: m, ps: &ps}
	items, ok := m["batch"].([]any)
	if !ok {
		if m["batch"] == nil {
			ps.Add("batch", "missing")
		} else {
			ps.Add("batch", "want an array, got %s", jsonKind(m["batch"]))
		}
	}
	batchContext := f.object("context")
	integrations := f.object("integrations")
	sentAt := f.time("sentAt")
	if len(ps) > 0 {
		return nil, nil, ps.Err()
	}
	for i, item := range items {
		em, ok := item.(map[string]any)
		if !ok {
			invalid = append(invalid, InvalidEvent{Index: i, Problems: Problems{{
				Field:   fmt.Sprintf("batch[%d]", i),
				Message: fmt.Sprintf("want an object, got %s", jsonKind(item)),
			}}})
			continue
		}
		inherit(em, "context", batchContext)
		inherit(em, "integrations", integrations)
		e, eps := r.eventFromObject(em, receivedAt, sentAt)
		if len(eps) > 0 {
			invalid = append(invalid, InvalidEvent{Index: i, Problems: eps})
			continue
		}
		events = append(events, e)
	}
	return events, invalid, nil
}

// inherit merges the batch's object under key (its context or integrations)
// into the event's, the event's own keys winning, nested objects merging
// recursively. An event whose own value is not an object keeps it, for its
// validation to report.
func inherit(event map[string]any, key string, batch map[string]any) {
	if batch == nil {
		return
	}
	if own, ok := event[key].(map[string]any); ok || event[key] == nil {
		event[key] = mergeObjects(own, batch)
	}
}
