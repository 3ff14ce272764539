package idgraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// rawObject is a JSON object read once: its members' values as written, in
// order. Every reading of a body goes through it, so a body means one
// thing to the limits, the write key and the parser alike.
type rawObject struct {
	data    []byte // the object as written
	members []member
}

// member is one member of a rawObject.
type member struct {
	key string
	raw json.RawMessage
}

// readObject reads data as one JSON object. Invalid JSON is a problem
// naming the byte offset as encoding/json counts it (the bytes read when
// the error was found), and so is anything but an object. A key that
// appears twice, or two keys that differ only in case, are a problem named
// by the later key: decoders disagree on which one wins (encoding/json
// keeps the last, and matches struct fields whatever their case).
func readObject(data []byte) (rawObject, Problems) {
	if !json.Valid(data) {
		err := json.Unmarshal(data, new(any))
		if se := (*json.SyntaxError)(nil); errors.As(err, &se) {
			return rawObject{}, Problems{{Field: "body", Message: fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, err)}}
		}
		return rawObject{}, Problems{{Field: "body", Message: fmt.Sprintf("invalid JSON: %v", err)}}
	}
	return scanObject(data)
}

// scanObject is readObject for data known to be valid JSON.
func scanObject(data []byte) (rawObject, Problems) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return rawObject{}, Problems{{Field: "body", Message: fmt.Sprintf("want a JSON object, got %s", jsonKind(decodeValue(data)))}}
	}
	o := rawObject{data: data}
	folded := map[string]string{} // fold(key) -> the key first seen
	var ps Problems
	for _, m := range scanMembers(data) {
		key := m.key
		if first, ok := folded[fold(key)]; ok {
			ps.Add(keyField(key), "the key %q is also sent as %q: send each key once, in one case", clip(key, 40), clip(first, 40))
			continue
		}
		folded[fold(key)] = key
		o.members = append(o.members, m)
	}
	return o, ps
}

// keyField names the field of a key in a problem: the key, or "" quoted
// for the empty key.
func keyField(key string) string {
	if key == "" {
		return `""`
	}
	return key
}

// fold returns s in the one case that strings.EqualFold and encoding/json
// compare keys in (K, the Kelvin sign, and k fold together, as do ſ and s).
func fold(s string) string { return strings.ToLower(strings.ToUpper(s)) }

// raw returns the value of the member key as written, nil when absent.
func (o rawObject) raw(key string) json.RawMessage {
	for _, m := range o.members {
		if m.key == key {
			return m.raw
		}
	}
	return nil
}

// checkKeys returns a problem for each key of o that differs only in case
// from one of known: a key that a decoder matching case-insensitively would
// read as that one, while the parser reads the exact key.
func (o rawObject) checkKeys(known ...string) Problems {
	var ps Problems
	for _, m := range o.members {
		for _, k := range known {
			if m.key != k && fold(m.key) == fold(k) {
				ps.Add(keyField(m.key), "keys are case-sensitive: send %q", k)
			}
		}
	}
	return ps
}

// decode returns o decoded, numbers as json.Number.
func (o rawObject) decode() map[string]any {
	m, _ := decodeValue(o.data).(map[string]any)
	return m
}

// decodeExcept returns o's members but skip decoded, numbers as
// json.Number.
func (o rawObject) decodeExcept(skip string) map[string]any {
	m := make(map[string]any, len(o.members))
	for _, x := range o.members {
		if x.key != skip {
			m[x.key] = decodeValue(x.raw)
		}
	}
	return m
}

// decodeValue decodes one valid JSON value, numbers as json.Number; nil
// for none. Strings that are not valid UTF-8 are kept as written
// (keepInvalidText).
func decodeValue(raw []byte) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	_ = dec.Decode(&v)
	if mayHoldInvalidText(raw) {
		v = keepInvalidText(raw, v)
	}
	return v
}

// scanArray returns the items of raw, a valid JSON array, each as written;
// ok is false when raw is not an array.
func scanArray(raw []byte) (items []json.RawMessage, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		return nil, false
	}
	for i := skipSpace(raw, 1); raw[i] != ']'; {
		end := skipValue(raw, i)
		items = append(items, json.RawMessage(raw[i:end]))
		if i = skipSpace(raw, end); raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return items, true
}

// decodeObject decodes data as one JSON object (readObject), numbers as
// json.Number.
func decodeObject(data []byte) (map[string]any, Problems) {
	o, ps := readObject(data)
	if len(ps) > 0 {
		return nil, ps
	}
	return o.decode(), nil
}
