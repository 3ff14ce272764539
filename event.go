package idgraph

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Event types of the Segment spec.
const (
	EventIdentify = "identify"
	EventTrack    = "track"
	EventPage     = "page"
	EventScreen   = "screen"
	EventGroup    = "group"
	EventAlias    = "alias"
)

// MaxMessageIDLength is the longest messageId accepted, in characters.
const MaxMessageIDLength = 100

// Event is one Segment event (identify, track, page, screen, group, alias),
// as the Segment HTTP Tracking API and its libraries send it. Numbers inside
// the maps are int64 when integral and in range, float64 otherwise.
type Event struct {
	Type        string `json:"type"`
	MessageID   string `json:"messageId"`
	UserID      string `json:"userId,omitempty"`
	AnonymousID string `json:"anonymousId,omitempty"`
	PreviousID  string `json:"previousId,omitempty"`
	GroupID     string `json:"groupId,omitempty"`
	Event       string `json:"event,omitempty"` // track's event name
	Name        string `json:"name,omitempty"`  // page or screen name
	// Timestamp is the event's time, corrected for the client's clock skew
	// as Segment does, in UTC.
	Timestamp time.Time `json:"timestamp"`
	// OriginalTimestamp is the client's time, SentAt when the client sent it,
	// ReceivedAt when the server got it; zero when absent.
	OriginalTimestamp time.Time      `json:"originalTimestamp,omitzero"`
	SentAt            time.Time      `json:"sentAt,omitzero"`
	ReceivedAt        time.Time      `json:"receivedAt,omitzero"`
	Context           map[string]any `json:"context,omitempty"`
	Integrations      map[string]any `json:"integrations,omitempty"`
	// Traits are the top-level traits of identify and group; the traits in
	// Context["traits"] are kept there, as sent.
	Traits     map[string]any `json:"traits,omitempty"`
	Properties map[string]any `json:"properties,omitempty"`
}

// ParseEvent decodes and validates one event, for a space with the default
// rules. receivedAt is when the server got it (the zero time means now); an
// event that carries its own receivedAt (a bulk load of history) keeps it.
// On failure it returns one EINVALID error listing every problem, each
// naming its field.
func ParseEvent(data []byte, receivedAt time.Time) (Event, error) {
	return defaultRules.ParseEvent("", data, receivedAt)
}

// ParseEventAs is ParseEvent for the typed endpoints (POST /v1/identify,
// /v1/track, ...): typ, when not empty, is the event's type whatever the body
// says, and the body need not carry one.
func ParseEventAs(typ string, data []byte, receivedAt time.Time) (Event, error) {
	return defaultRules.ParseEvent(typ, data, receivedAt)
}

// defaultRules are the rules of ParseEvent and ParseBatch.
var defaultRules = DefaultRules()

// ParseEvent is ParseEventAs for a space whose rules are r: besides what
// every event is checked for, each field r.Extract takes an identifier
// from must hold one an identifier may have (a type of at most MaxIDBytes,
// a value of at most MaxIdentifierBytes), or the event is invalid, naming
// the field.
func (r Rules) ParseEvent(typ string, data []byte, receivedAt time.Time) (Event, error) {
	m, ps := decodeObject(data)
	if len(ps) > 0 {
		return Event{}, ps.Err()
	}
	if typ != "" {
		m["type"] = typ
	}
	e, ps := r.eventFromObject(m, receivedAt, time.Time{})
	if len(ps) > 0 {
		return Event{}, ps.Err()
	}
	return e, nil
}

// WriteKeyOf returns the writeKey carried in the body of an event or a batch
// (Segment accepts it there instead of in HTTP Basic auth), or "". It reads
// the body as the parser does: a body that is not one JSON object with
// each key once, or that sends writeKey in another case, is EINVALID.
func WriteKeyOf(data []byte) (string, error) {
	o, ps := readObject(data)
	if len(ps) == 0 {
		ps = o.checkKeys("writeKey")
	}
	if len(ps) > 0 {
		return "", ps.Err()
	}
	s, _ := decodeValue(o.raw("writeKey")).(string)
	return strings.TrimSpace(s), nil
}

// eventFromObject builds and validates an event from its decoded JSON
// object (numbers as json.Number), for a space whose rules are r.
// receivedAt is when the server got it; batchSentAt applies when the event
// has no sentAt of its own.
func (r Rules) eventFromObject(m map[string]any, receivedAt, batchSentAt time.Time) (Event, Problems) {
	var ps Problems
	f := jsonFields{m: m, ps: &ps}
	e, times := readEvent(&f)
	checkEvent(&f, e)
	if len(ps) == 0 {
		ps = r.checkIdentifiers(&e)
	}
	if len(ps) > 0 {
		return Event{}, ps
	}
	if times.sentAt.IsZero() {
		times.sentAt = batchSentAt
	}
	if times.received.IsZero() {
		times.received = receivedAt
	}
	if p := e.setTimes(times); p != nil {
		return Event{}, Problems{*p}
	}
	if e.MessageID == "" {
		e.MessageID = deriveMessageID(m)
	}
	return e, nil
}

// eventTimes are the times an event's object carries; zero when absent.
type eventTimes struct {
	timestamp, original, sentAt, received time.Time
}

// readEvent reads an event's fields from its object; f records a problem
// for each field of the wrong type.
func readEvent(f *jsonFields) (Event, eventTimes) {
	e := Event{
		Type:        f.str("type"),
		MessageID:   f.id("messageId", MaxMessageIDLength),
		UserID:      f.id("userId", MaxIdentifierBytes),
		AnonymousID: f.id("anonymousId", MaxIdentifierBytes),
		PreviousID:  f.id("previousId", MaxIdentifierBytes),
		GroupID:     f.id("groupId", MaxIdentifierBytes),
		Event:       f.str("event"),
		Name:        f.str("name"),
	}
	times := eventTimes{
		timestamp: f.time("timestamp"),
		original:  f.time("originalTimestamp"),
		sentAt:    f.time("sentAt"),
		received:  f.time("receivedAt"),
	}
	e.Context = normalizeObject(f.object("context"))
	e.Integrations = normalizeObject(f.object("integrations"))
	e.Traits = normalizeObject(f.object("traits"))
	e.Properties = normalizeObject(f.object("properties"))
	return e, times
}

// checkEvent records in f what makes e invalid: a missing or unknown type,
// a messageId too long, a field its type requires. A field already reported
// as of the wrong type is not reported again as missing.
func checkEvent(f *jsonFields, e Event) {
	switch e.Type {
	case "":
		if !f.bad["type"] {
			f.ps.Add("type", "missing")
		}
	case EventIdentify, EventTrack, EventPage, EventScreen, EventGroup, EventAlias:
	default:
		f.ps.Add("type", "unknown type %q: want identify, track, page, screen, group or alias", e.Type)
	}
	if n := utf8.RuneCountInString(e.MessageID); n > MaxMessageIDLength {
		f.ps.Add("messageId", "%d characters: at most %d", n, MaxMessageIDLength)
	}
	switch {
	case e.Type == EventAlias:
		if e.PreviousID == "" && !f.bad["previousId"] {
			f.ps.Add("previousId", "alias requires previousId")
		}
		if e.UserID == "" && !f.bad["userId"] {
			f.ps.Add("userId", "alias requires userId")
		}
	case e.UserID == "" && e.AnonymousID == "" && !f.bad["userId"] && !f.bad["anonymousId"]:
		f.ps.Add("userId", "userId or anonymousId is required")
	}
	if e.Type == EventGroup && e.GroupID == "" && !f.bad["groupId"] {
		f.ps.Add("groupId", "group requires groupId")
	}
	if e.Type == EventTrack && e.Event == "" && !f.bad["event"] {
		f.ps.Add("event", "track requires event")
	}
}

// MaxClockSkew is the largest clock skew corrected: a client whose
// timestamp and sentAt are further apart has no clock worth the name (a
// year-9999 timestamp with a year-1 sentAt), and the correction would pass
// what a time.Duration holds.
const MaxClockSkew = 100 * 365 * 24 * time.Hour

// setTimes sets e's times from those its object carried, with Segment's
// clock-skew correction: the client's clock may be wrong, but the time
// between its call and its send is right. A zero received means now. It
// returns a problem, and sets nothing, when the skew passes MaxClockSkew
// or the event's time would fall outside years 1 to 9999.
func (e *Event) setTimes(t eventTimes) *Problem {
	client := t.timestamp
	if client.IsZero() {
		client = t.original
	}
	received := t.received
	if received.IsZero() {
		received = time.Now()
	}
	received = received.UTC()
	timestamp := client
	switch {
	case client.IsZero():
		timestamp = received
	case !t.sentAt.IsZero():
		skew := t.sentAt.Sub(client)
		if skew > MaxClockSkew || skew < -MaxClockSkew {
			return &Problem{Field: "sentAt", Message: fmt.Sprintf("%s is more than 100 years from the event's time %s: no clock skew that large is corrected",
				t.sentAt.Format(time.RFC3339), client.Format(time.RFC3339))}
		}
		timestamp = received.Add(-skew).UTC()
	}
	if y := timestamp.Year(); y < 1 || y > 9999 {
		return &Problem{Field: "timestamp", Message: fmt.Sprintf("corrected for clock skew, the event's time is in year %d: want 1 to 9999", y)}
	}
	e.Timestamp, e.OriginalTimestamp, e.SentAt, e.ReceivedAt = timestamp, client, t.sentAt, received
	return nil
}

// Resent corrects e, the same event received again, for clock skew as of
// its first receipt at first: a client that retries a failed request
// unchanged keeps its sentAt, so the time from sentAt to this receipt
// holds the client's retrying, which Segment's correction would add to
// the event's time (an event retried after a 30 s outage would be stored
// 30 s late); from sentAt to the first receipt it holds the network's
// only. The caller knows it is the same send: the same message id from
// the same source with the same sentAt. e keeps its own ReceivedAt. Resent
// does nothing when first is not before e's receipt, or when the event's
// time would then fall outside years 1 to 9999.
func (e *Event) Resent(first time.Time) {
	if !first.Before(e.ReceivedAt) {
		return
	}
	c := *e
	if c.setTimes(eventTimes{timestamp: e.OriginalTimestamp, sentAt: e.SentAt, received: first}) == nil {
		c.ReceivedAt = e.ReceivedAt
		*e = c
	}
}

// deriveMessageID returns a stable id for an event sent without one: the
// hash of its canonical JSON (keys sorted, numbers as sent) without the
// fields a retry may change (receivedAt, sentAt) or that are credentials
// (writeKey), so a replay of the same event gets the same id.
func deriveMessageID(m map[string]any) string {
	c := make(map[string]any, len(m))
	for k, v := range m {
		switch k {
		case "receivedAt", "sentAt", "writeKey", "messageId":
			continue
		}
		c[k] = v
	}
	b, err := json.Marshal(c)
	if err != nil {
		// Unreachable: the map came from JSON.
		panic(err)
	}
	sum := sha256.Sum256(b)
	return "idg-" + hex.EncodeToString(sum[:])[:32]
}
