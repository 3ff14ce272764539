package idgraph

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Identifier types extracted by default (DESIGN.md section 4). Device types
// are "<device type>" + a suffix, for example "ios.id".
const (
	TypeUserID      = "user_id"
	TypeAnonymousID = "anonymous_id"
	TypeEmail       = "email"
	TypeGroupID     = "group_id"
	TypeGAClientID  = "ga_client_id"

	DeviceIDSuffix        = ".id"
	DeviceIDFASuffix      = ".idfa"
	DevicePushTokenSuffix = ".push_token"
)

// Extract returns the identifiers an event carries, normalised (numbers as
// decimal strings, then NormalizeIdentifier: trimmed, emails lower-cased),
// deduplicated and sorted by priority (r.Before). Values the rules block
// are returned apart, in blocked; empty values and values that are neither
// strings nor numbers are not identifiers at all.
//
// Where they come from:
//   - user_id: userId; anonymous_id: anonymousId; group_id: groupId;
//   - email: traits.email and context.traits.email (a group's traits
//     describe the group, so group events only use context.traits);
//   - <t>.id, <t>.push_token: context.device.id and .token, where t is
//     context.device.type lower-cased (ios, android, ...); no device type,
//     no device identifiers. <t>.idfa: context.device.advertisingId, only
//     when context.device.adTrackingEnabled is true;
//   - ga_client_id: integrations["Google Analytics"].clientId, in context
//     or at the top level;
//   - any type: context.externalIds[] items {id, type, collection} whose
//     collection is "users" or empty (encoding is ignored: the value is kept
//     as sent), and the traits (traits, context.traits) or properties keys
//     configured by r.Types[t].Trait and .Property.
//
// An alias's previousId is an earlier id of the same person, either an
// anonymousId or a userId. It is typed anonymous_id when it equals the
// event's anonymousId or when the event has no anonymousId to tell (a
// server-side alias); it is typed user_id when the event carries a different
// anonymousId, which is what analytics.js sends when an identified user is
// aliased (previousId defaults to the current userId there).
func (r Rules) Extract(e Event) (ids []Identifier, blocked []Identifier) {
	x := extraction{rules: r, seen: map[Identifier]bool{}}
	x.add(TypeUserID, e.UserID)
	x.add(TypeAnonymousID, e.AnonymousID)
	x.add(TypeGroupID, e.GroupID)
	if e.Type == EventAlias {
		x.add(previousIDType(e), e.PreviousID)
	}

	// A group's traits describe the group (its email is the company's), so
	// only the user's traits count: context.traits, and traits elsewhere.
	traits := e.Traits
	if e.Type == EventGroup {
		traits = nil
	}
	ctxTraits := jsonObject(e.Context, "traits")
	x.add(TypeEmail, traits["email"])
	x.add(TypeEmail, ctxTraits["email"])

	if device := jsonObject(e.Context, "device"); device != nil {
		if t, ok := device["type"].(string); ok {
			t = strings.ToLower(strings.TrimSpace(t))
			if validDeviceType(t) {
				x.add(t+DeviceIDSuffix, device["id"])
				x.add(t+DevicePushTokenSuffix, device["token"])
				if enabled, _ := device["adTrackingEnabled"].(bool); enabled {
					x.add(t+DeviceIDFASuffix, device["advertisingId"])
				}
			}
		}
	}

	x.add(TypeGAClientID, jsonObject(jsonObject(e.Context, "integrations"), "Google Analytics")["clientId"])
	x.add(TypeGAClientID, jsonObject(e.Integrations, "Google Analytics")["clientId"])

	if ext, ok := e.Context["externalIds"].([]any); ok {
		for _, item := range ext {
			m, _ := item.(map[string]any)
			coll, _ := m["collection"].(string)
			typ, _ := m["type"].(string)
			typ = strings.TrimSpace(typ)
			if coll = strings.TrimSpace(coll); coll != "" && !strings.EqualFold(coll, "users") {
				continue
			}
			if validID(typ) {
				x.add(typ, m["id"])
			}
		}
	}

	types := make([]string, 0, len(r.Types))
	for t := range r.Types {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		rule := r.Types[t]
		if rule.Trait != "" {
			x.add(t, traits[rule.Trait])
			x.add(t, ctxTraits[rule.Trait])
		}
		if rule.Property != "" {
			x.add(t, e.Properties[rule.Property])
		}
	}

	byPriority := func(a, b Identifier) int {
		switch {
		case r.Before(a, b):
			return -1
		case r.Before(b, a):
			return 1
		}
		return 0
	}
	slices.SortFunc(x.ids, byPriority)
	slices.SortFunc(x.blocked, byPriority)
	return x.ids, x.blocked
}

// previousIDType types an alias's previousId; see Extract.
func previousIDType(e Event) string {
	if e.AnonymousID != "" && e.PreviousID != e.AnonymousID {
		return TypeUserID
	}
	return TypeAnonymousID
}

// MaxIdentifierBytes is the longest identifier value kept. Neo4j refuses
// index keys of about 8 KB and more, which would fail a whole batch; no real
// id, email or token is anywhere near this, so a longer value is junk and is
// dropped like a blocked one.
const MaxIdentifierBytes = 1024

// extraction collects the identifiers of one event.
type extraction struct {
	rules   Rules
	seen    map[Identifier]bool
	ids     []Identifier
	blocked []Identifier
}

// add records v as an identifier of type typ when it is one.
func (x *extraction) add(typ string, v any) {
	s, ok := identifierValue(v)
	if !ok || typ == "" {
		return
	}
	id := NormalizeIdentifier(typ, s)
	if x.seen[id] {
		return
	}
	x.seen[id] = true
	if len(id.Value) > MaxIdentifierBytes || x.rules.IsBlocked(id) {
		x.blocked = append(x.blocked, id)
		return
	}
	x.ids = append(x.ids, id)
}

// identifierValue returns v as a trimmed, non-empty string: strings as they
// are, numbers as decimal strings; anything else is not an identifier.
func identifierValue(v any) (string, bool) {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case json.Number:
		s = numberString(v)
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
	return s, s != ""
}

// object returns m[key] when it is an object, else nil. A nil map reads as
// empty, so calls chain.
func jsonObject(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

// validDeviceType reports whether a lower-cased context.device.type can
// prefix an identifier type: letters, digits, '_' and '-' (no '.', which
// separates it from the suffix).
func validDeviceType(t string) bool {
	return t != "" && !strings.Contains(t, ".") && validID(t)
}

// validID reports whether s is a valid id or identifier type: not empty, and
// only [A-Za-z0-9_.-].
func validID(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '.', c == '-':
		default:
			return false
		}
	}
	return true
}
