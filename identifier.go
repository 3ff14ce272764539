package idgraph

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Identifier is one identity a customer is known by: a type such as user_id,
// email or ios.id, and its normalised value. Identifiers are the nodes of the
// identity graph.
type Identifier struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// String returns the identifier in the "type:value" form used in URLs.
func (i Identifier) String() string { return i.Type + ":" + i.Value }

// Less orders identifiers by type, then value: the one order in which every
// writer locks them.
func (i Identifier) Less(j Identifier) bool {
	if i.Type != j.Type {
		return i.Type < j.Type
	}
	return i.Value < j.Value
}

// IsDevice reports whether the identifier names a device (ios.id,
// android.id, ...): such nodes also carry the :Device label.
func (i Identifier) IsDevice() bool { return strings.HasSuffix(i.Type, ".id") }

// NormalizeIdentifier returns the identifier of type typ and value value as
// the graph stores it: both trimmed, an e-mail address lower-cased.
// Extraction and ParseIdentifier both make identifiers with it, so the
// identifier a client asks for is the one its events stored.
func NormalizeIdentifier(typ, value string) Identifier {
	id := Identifier{Type: strings.TrimSpace(typ), Value: strings.TrimSpace(value)}
	if id.Type == TypeEmail {
		id.Value = strings.ToLower(id.Value)
	}
	return id
}

// ParseIdentifier parses "type:value" (the value may itself contain colons)
// and normalises it (NormalizeIdentifier). It returns EINVALID when either
// part is empty (a value may not be Blank), not valid UTF-8, or longer than
// any identifier's (MaxIDBytes for the type, MaxIdentifierBytes for the
// value).
func ParseIdentifier(s string) (Identifier, error) {
	t, v, ok := strings.Cut(s, ":")
	id := NormalizeIdentifier(t, v)
	switch {
	case len(id.Type) > MaxIDBytes:
		return Identifier{}, Errorf(EINVALID, "identifier type of %d bytes: at most %d", len(id.Type), MaxIDBytes)
	case len(id.Value) > MaxIdentifierBytes:
		return Identifier{}, Errorf(EINVALID, "identifier value of %d bytes: at most %d", len(id.Value), MaxIdentifierBytes)
	case !ok || id.Type == "" || Blank(id.Value):
		return Identifier{}, Errorf(EINVALID, "identifier %q: want type:value", clip(s, 100))
	case !utf8.ValidString(s):
		return Identifier{}, Errorf(EINVALID, "identifier %q: not valid UTF-8", clip(s, 100))
	}
	return id, nil
}

// identifierValue returns v as a trimmed, non-empty string: strings as they
// are, numbers as decimal strings (as written when that would pass
// MaxIdentifierBytes); anything else is not an identifier.
func identifierValue(v any) (string, bool) {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case json.Number:
		// A number too long written out is kept as written.
		var ok bool
		if s, ok = numberString(v, MaxIdentifierBytes); !ok {
			s = v.String()
		}
	case int:
		s = strconv.Itoa(v)
	case int32:
		s = strconv.FormatInt(int64(v), 10)
	case int64:
		s = strconv.FormatInt(v, 10)
	case uint:
		s = strconv.FormatUint(uint64(v), 10)
	case uint32:
		s = strconv.FormatUint(uint64(v), 10)
	case uint64:
		s = strconv.FormatUint(v, 10)
	case float32:
		return identifierValue(float64(v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", false
		}
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return "", false
	}
	s = strings.TrimSpace(s)
	return s, !Blank(s)
}

// Blank reports whether s holds nothing to see: only white space and
// invisible format characters (zero-width spaces and joiners, byte-order
// marks, direction marks). A blank string is no identifier: two events
// whose emails are both "\u200b" are not one person.
func Blank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// Sighting is an identifier as it is known to a profile: when, where and by
// which event it was first seen.
type Sighting struct {
	Identifier
	FirstSeen      time.Time `json:"first_seen"`
	LastSeen       time.Time `json:"last_seen"`
	FirstSourceID  string    `json:"first_source_id"`
	FirstMessageID string    `json:"first_message_id"`
}

// Sightings gathers, over a batch of events, when and from where each
// identifier was first and last seen. The store writes them before the
// rules run; the resolver gives new profile members theirs.
type Sightings map[Identifier]*Sighting

// Add records that id was seen at t in the event messageID from sourceID;
// the earliest sighting keeps its source and message.
func (ss Sightings) Add(id Identifier, t time.Time, sourceID, messageID string) {
	s := ss[id]
	if s == nil {
		ss[id] = &Sighting{Identifier: id, FirstSeen: t, LastSeen: t, FirstSourceID: sourceID, FirstMessageID: messageID}
		return
	}
	if t.Before(s.FirstSeen) {
		s.FirstSeen, s.FirstSourceID, s.FirstMessageID = t, sourceID, messageID
	}
	if t.After(s.LastSeen) {
		s.LastSeen = t
	}
}

// Sorted returns the sightings in identifier order, the order in which
// writers lock identifiers.
func (ss Sightings) Sorted() []Sighting {
	out := make([]Sighting, 0, len(ss))
	for _, s := range ss {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j].Identifier) })
	return out
}
