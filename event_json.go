package idgraph

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// jsonFields reads typed fields from a decoded JSON object, recording a problem
// for each field of the wrong type (bad names them).
type jsonFields struct {
	m   map[string]any
	ps  *Problems
	bad map[string]bool
}

func (f *jsonFields) wrong(key, want string) {
	f.fail(key, "want %s, got %s", want, jsonKind(f.m[key]))
}

// fail records a problem with the field key, which is then not reported
// again as missing.
func (f *jsonFields) fail(key, format string, args ...any) {
	f.ps.Add(key, format, args...)
	if f.bad == nil {
		f.bad = map[string]bool{}
	}
	f.bad[key] = true
}

// str reads a string; absent and null are "".
func (f *jsonFields) str(key string) string {
	switch v := f.m[key].(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	}
	f.wrong(key, "a string")
	return ""
}

// id reads an id of at most max bytes: a string (a Blank one is ""), or a
// number turned into its decimal string. A number whose decimal string would pass max is a
// problem, found before the number is expanded.
func (f *jsonFields) id(key string, max int) string {
	if n, ok := f.m[key].(json.Number); ok {
		s, ok := numberString(n, max)
		if !ok {
			f.fail(key, "the number %s is over %d digits written out", clip(n.String(), 24), max)
		}
		return s
	}
	if _, ok := f.m[key].(string); ok || f.m[key] == nil {
		if s := f.str(key); !Blank(s) {
			return s
		}
		return ""
	}
	f.wrong(key, "a string or a number")
	return ""
}

// object reads an object; absent and null are nil.
func (f *jsonFields) object(key string) map[string]any {
	switch v := f.m[key].(type) {
	case nil:
		return nil
	case map[string]any:
		return v
	}
	f.wrong(key, "an object")
	return nil
}

// time reads an ISO-8601 time; absent, null and "" are the zero time.
func (f *jsonFields) time(key string) time.Time {
	s, ok := f.m[key].(string)
	if !ok {
		if f.m[key] != nil {
			f.wrong(key, "an ISO-8601 time string")
		}
		return time.Time{}
	}
	t, err := parseTime(s)
	if err != nil {
		f.ps.Add(key, "%v", err)
	}
	return t
}

// timeLayouts are the ISO-8601 forms accepted: RFC 3339 with or without
// fractional seconds, offsets with or without a colon, and a bare date.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07",
	time.DateOnly,
}

// parseTime parses an ISO-8601 time ("" is the zero time) into UTC.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO-8601 time (want 2006-01-02T15:04:05.000Z or 2006-01-02)", s)
}

// numberString returns a JSON number as a plain decimal string: 1e3 is
// "1000", 12345678901234567890 stays exact. When that string could be
// longer than max bytes (1e3000000 would be 3,000,001), it returns "" and
// false without expanding anything.
func numberString(n json.Number, max int) (string, bool) {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		return s, len(s) <= max
	}
	if expandedLen(s) > max {
		return "", false
	}
	f, _, err := big.ParseFloat(s, 10, 256, big.ToNearestEven)
	if err != nil {
		return s, len(s) <= max
	}
	if f.IsInt() {
		return f.Text('f', 0), true
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		s = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return s, len(s) <= max
}

// expandedLen bounds the length of a JSON number's plain decimal string from
// above, from its text alone: its digits, its sign and point, and its
// exponent when positive (a negative one makes a fraction, written as a
// float64 of at most a few hundred digits). An exponent of more than nine
// digits is too long for any field.
func expandedLen(s string) int {
	mantissa, exp, _ := strings.Cut(strings.ToLower(s), "e")
	n := len(mantissa)
	exp = strings.TrimPrefix(exp, "+")
	if exp == "" || exp[0] == '-' {
		return n
	}
	if len(exp) > 9 {
		return math.MaxInt
	}
	e, _ := strconv.Atoi(exp)
	return n + e
}

// clip returns s cut to at most n bytes, marked with "..." when cut, for
// messages that quote input.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// normalizeObject copies a decoded object, turning json.Numbers into int64
// (integral and in range) or float64; nil stays nil.
func normalizeObject(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = normalizeValue(v)
	}
	return out
}

func normalizeValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return normalizeObject(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalizeValue(x)
		}
		return out
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		if f, err := v.Float64(); err == nil {
			return f
		}
		return v.String()
	}
	return v
}

// mergeObjects returns own merged over base: own's keys win, objects on
// both sides merge recursively. Neither argument is modified.
func mergeObjects(own, base map[string]any) map[string]any {
	out := make(map[string]any, len(own)+len(base))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range own {
		ov, okOwn := v.(map[string]any)
		bv, okBase := base[k].(map[string]any)
		if okOwn && okBase {
			out[k] = mergeObjects(ov, bv)
			continue
		}
		out[k] = v
	}
	return out
}

// jsonKind names the JSON type of a decoded value, for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number, float64, int64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
