package idgraph

import (
	"slices"
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
//   - user_id: userId; anonymous_id: anonymousId;
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
// groupId is not a user identifier: it names an account (Rules.AccountID),
// and joining users through it would make one person of a whole company.
// No source makes a group_id user identifier, externalIds and configured
// keys included.
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

	x.addDevice(jsonObject(e.Context, "device"))
	x.add(TypeGAClientID, jsonObject(jsonObject(e.Context, "integrations"), "Google Analytics")["clientId"])
	x.add(TypeGAClientID, jsonObject(e.Integrations, "Google Analytics")["clientId"])
	x.addExternalIDs(e.Context["externalIds"])
	x.addConfigured(traits, ctxTraits, e.Properties)

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
// dropped like a blocked one, as is a type over MaxIDBytes. (Parsing refuses
// events holding either, naming the field; this keeps events made in Go
// from failing a batch.)
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
	if !ok || typ == "" || typ == TypeGroupID {
		return
	}
	id := NormalizeIdentifier(typ, s)
	if x.seen[id] {
		return
	}
	x.seen[id] = true
	if len(id.Value) > MaxIdentifierBytes || len(id.Type) > MaxIDBytes || x.rules.IsBlocked(id) {
		x.blocked = append(x.blocked, id)
		return
	}
	x.ids = append(x.ids, id)
}

// addDevice adds the identifiers of context.device: <t>.id and
// <t>.push_token, and <t>.idfa when ad tracking is enabled, where t is the
// device type lower-cased. No valid type, no device identifiers.
func (x *extraction) addDevice(device map[string]any) {
	t, ok := device["type"].(string)
	if !ok {
		return
	}
	t = strings.ToLower(strings.TrimSpace(t))
	if !validDeviceType(t) {
		return
	}
	x.add(t+DeviceIDSuffix, device["id"])
	x.add(t+DevicePushTokenSuffix, device["token"])
	if enabled, _ := device["adTrackingEnabled"].(bool); enabled {
		x.add(t+DeviceIDFASuffix, device["advertisingId"])
	}
}

// addExternalIDs adds context.externalIds' items {id, type, collection}
// whose collection is "users" or empty and whose type is a valid id.
func (x *extraction) addExternalIDs(v any) {
	items, _ := v.([]any)
	for _, item := range items {
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

// addConfigured adds the types the rules read from a trait (in traits and
// context.traits) or a property, in type order.
func (x *extraction) addConfigured(traits, ctxTraits, properties map[string]any) {
	types := make([]string, 0, len(x.rules.Types))
	for t := range x.rules.Types {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		rule := x.rules.Types[t]
		if rule.Trait != "" {
			x.add(t, traits[rule.Trait])
			x.add(t, ctxTraits[rule.Trait])
		}
		if rule.Property != "" {
			x.add(t, properties[rule.Property])
		}
	}
}

// jsonObject returns m[key] when it is an object, else nil. A nil map reads as
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
