package idgraph

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxIDBytes is the longest id: an identifier type, and a space's, source's
// or access token's id. Identifier types and source ids are keys of Neo4j
// indexes, which refuse keys of about 8 KB and more, failing the whole
// transaction; no real type or id comes near 100 bytes.
const MaxIDBytes = 100

// checkIdentifiers returns a problem for every field of e that r.Extract
// takes an identifier's type or value from, when that type or value is
// not one an identifier may have: a type over MaxIDBytes, a value over
// MaxIdentifierBytes, or text that is not valid UTF-8 (an invalid byte or
// a lone surrogate, which encoding/json would have made U+FFFD, merging
// different people). Each problem names the field as it is written in the
// event (userId, context.externalIds[2].type). Every other string that is
// not valid UTF-8 is then repaired as encoding/json repairs it.
//
// Extract is the one place that knows where identifiers come from, and
// the rules (a space's custom types) decide some of it, so the fields are
// found by tracing Extract rather than by listing them again: every string
// long or invalid enough to matter is replaced by a probe, a string that
// Extract keeps whole (and accepts or refuses as a type exactly as it
// would the original), and the probes found in the identifiers Extract
// returns name the fields they came from. Events without such strings cost
// one walk over their strings.
func (r Rules) checkIdentifiers(e *Event) Problems {
	var leaves []leaf
	e.eachString(func(l leaf) {
		if s := l.get(); len(s) > traceAbove || !utf8.ValidString(s) {
			leaves = append(leaves, l)
		}
	})
	if len(leaves) == 0 {
		return nil
	}
	originals := make([]string, len(leaves))
	for i, l := range leaves {
		originals[i] = l.get()
		l.set(probe(i, originals[i]))
	}
	ids, blocked := r.Extract(*e)
	for i, l := range leaves {
		l.set(strings.ToValidUTF8(originals[i], "\uFFFD"))
	}
	found := map[int]string{} // by string: its problem, the first found
	for _, id := range append(ids, blocked...) {
		if i, ok := probed(id.Type); ok && found[i] == "" {
			found[i] = leafProblem(originals[i], len(id.Type)-len(probe(i, originals[i])), MaxIDBytes, "an identifier type")
		}
		if i, ok := probed(id.Value); ok && found[i] == "" {
			found[i] = leafProblem(originals[i], len(id.Value)-len(probe(i, originals[i])), MaxIdentifierBytes, "an identifier")
		}
	}
	var ps Problems
	for i, msg := range found {
		if msg != "" {
			ps = append(ps, Problem{Field: leaves[i].path, Message: msg})
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Field < ps[j].Field })
	return ps
}

// leafProblem returns what is wrong with orig as what (an identifier or
// its type) of at most max bytes, when extra bytes are added to it (a
// device type's suffix); "" when nothing is.
func leafProblem(orig string, extra, max int, what string) string {
	if !utf8.ValidString(orig) {
		return what + " that is not valid UTF-8 (an invalid byte or a lone surrogate)"
	}
	if n := len(strings.TrimSpace(orig)) + extra; n > max {
		return fmt.Sprintf("%s of %d bytes: at most %d", what, n, max)
	}
	return ""
}

// traceAbove is the length of string from which checkIdentifiers traces a
// field: below it, no type or value can pass its bound.
const traceAbove = MaxIDBytes / 2

// probeMark starts every probe: random for the process, so that no input
// can pass for a probe.
var probeMark = func() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "zq" + hex.EncodeToString(b)
}()

// probe returns the probe standing for string i, whose original is orig:
// lower-case letters and digits, and a '.' or a space when the original
// has them or characters outside [A-Za-z0-9_.-], so that Extract takes it
// as a type exactly when it would take the original.
func probe(i int, orig string) string {
	p := probeMark + "x" + strconv.Itoa(i) + "x"
	orig = strings.TrimSpace(orig)
	if strings.Contains(orig, ".") {
		p += "."
	}
	if !validID(strings.ReplaceAll(orig, ".", "")) {
		p += " "
	}
	return p + "z"
}

// probed returns the index of the probe s holds, if any.
func probed(s string) (int, bool) {
	_, rest, ok := strings.Cut(s, probeMark+"x")
	if !ok {
		return 0, false
	}
	n, _, ok := strings.Cut(rest, "x")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n)
	return i, err == nil
}

// leaf is one string of an event, by its path, read and written in place.
type leaf struct {
	path string
	get  func() string
	set  func(string)
}

// eachString calls fn with every string of e but its type (which is valid
// or refused): those at the top level, and every string in context,
// integrations, traits and properties, at any depth.
func (e *Event) eachString(fn func(leaf)) {
	for _, f := range []struct {
		path string
		p    *string
	}{{"messageId", &e.MessageID}, {"userId", &e.UserID}, {"anonymousId", &e.AnonymousID}, {"previousId", &e.PreviousID},
		{"groupId", &e.GroupID}, {"event", &e.Event}, {"name", &e.Name}} {
		fn(leaf{f.path, func() string { return *f.p }, func(s string) { *f.p = s }})
	}
	eachStringIn("context", e.Context, fn)
	eachStringIn("integrations", e.Integrations, fn)
	eachStringIn("traits", e.Traits, fn)
	eachStringIn("properties", e.Properties, fn)
}

// eachStringIn calls fn with every string inside v, a decoded JSON value at
// path.
func eachStringIn(path string, v any, fn func(leaf)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			p := path + "." + k
			if _, ok := x.(string); ok {
				fn(leaf{p, func() string { return v[k].(string) }, func(s string) { v[k] = s }})
				continue
			}
			eachStringIn(p, x, fn)
		}
	case []any:
		for i, x := range v {
			p := fmt.Sprintf("%s[%d]", path, i)
			if _, ok := x.(string); ok {
				fn(leaf{p, func() string { return v[i].(string) }, func(s string) { v[i] = s }})
				continue
			}
			eachStringIn(p, x, fn)
		}
	}
}
