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
// Rules.ParseEvent checks them, and an event over MaxEventBytes as written
// is invalid too. err (EINVALID) is for a body that is not a batch at all,
// or one of more than MaxBatchEvents events. The body is read once
// (readObject), so the limits apply to the very items parsed; a key sent
// twice, or an envelope key in another case (Batch, BATCH), is refused.
func (r Rules) ParseBatch(data []byte, receivedAt time.Time) (events []Event, invalid []InvalidEvent, err error) {
	o, ps := readObject(data)
	if len(ps) > 0 {
		return nil, nil, ps.Err()
	}
	ps = o.checkKeys(envelopeKeys...)
	items, ok := scanArray(o.raw("batch"))
	if !ok {
		if v := decodeValue(o.raw("batch")); v == nil {
			ps.Add("batch", "missing")
		} else {
			ps.Add("batch", "want an array, got %s", jsonKind(v))
		}
	}
	if n := len(items); n > MaxBatchEvents {
		ps.Add(fmt.Sprintf("batch[%d]", MaxBatchEvents), "%d events: at most %d per batch, so the events from index %d on are over", n, MaxBatchEvents, MaxBatchEvents)
	}
	m := o.decodeExcept("batch")
	f := jsonFields{m: m, ps: &ps}
	batchContext := f.object("context")
	integrations := f.object("integrations")
	sentAt := f.time("sentAt")
	if len(ps) > 0 {
		return nil, nil, ps.Err()
	}
	for i, raw := range items {
		if len(raw) > MaxEventBytes {
			invalid = append(invalid, InvalidEvent{Index: i, Problems: Problems{{
				Field:   fmt.Sprintf("batch[%d]", i),
				Message: fmt.Sprintf("event is %d bytes: at most %d (32 KB) per event", len(raw), MaxEventBytes),
			}}})
			continue
		}
		item, ips := scanObject(raw)
		if len(ips) > 0 {
			for j := range ips {
				if ips[j].Field == "body" {
					ips[j].Field = fmt.Sprintf("batch[%d]", i)
				}
			}
			invalid = append(invalid, InvalidEvent{Index: i, Problems: ips})
			continue
		}
		em := item.decode()
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

// envelopeKeys are the keys of a batch body besides its events' own.
var envelopeKeys = []string{"batch", "context", "integrations", "sentAt", "writeKey"}

// Limits of the Segment HTTP Tracking API.
const (
	MaxEventBytes  = 32 << 10  // one event: a single call's body or an item of a batch, as written
	MaxBatchBytes  = 500 << 10 // a batch body, after gunzip
	MaxBatchEvents = 2500
)

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
