package idgraph

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// yamlDoc reads a decoded YAML document, recording every problem by path;
// bad holds the paths reported.
type yamlDoc struct {
	ps  *Problems
	bad map[string]bool
}

func (d *yamlDoc) add(path, format string, args ...any) {
	d.ps.Add(path, format, args...)
	if d.bad == nil {
		d.bad = map[string]bool{}
	}
	d.bad[path] = true
}

// reported reports whether a problem was recorded at path or around it.
func (d *yamlDoc) reported(path string) bool {
	for b := range d.bad {
		if path == b || strings.HasPrefix(path, b+".") || strings.HasPrefix(path, b+"[") {
			return true
		}
	}
	return false
}

func joinPath(path, key string) string {
	if path == "" {
		return keyField(key)
	}
	return path + "." + keyField(key)
}

// mapping reads a mapping (nil when absent), reporting keys not in known.
func (d *yamlDoc) mapping(path string, v any, known ...string) map[string]any {
	if v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		d.add(pathOr(path), "want a mapping, got %s", yamlKind(v))
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			d.add(joinPath(path, k), "unknown field: want one of %s", strings.Join(known, ", "))
		}
	}
	return m
}

func pathOr(path string) string {
	if path == "" {
		return "yaml"
	}
	return path
}

// list reads a sequence (nil when absent).
func (d *yamlDoc) list(path string, v any) []any {
	if v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		d.add(path, "want a list, got %s", yamlKind(v))
	}
	return l
}

// str reads a string ("" when absent). The value never appears in a
// problem: it may be a secret.
func (d *yamlDoc) str(path string, v any) string {
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		d.add(path, "want a string, got %s", yamlKind(v))
	}
	return s
}

// strings reads a list of strings; with numbers, numbers count as their
// decimal text (blocked: [-1]). A bad item reads as "", so later items keep
// their index.
func (d *yamlDoc) strings(path string, v any, numbers bool) []string {
	var out []string
	for i, item := range d.list(path, v) {
		if s, ok := item.(string); ok {
			out = append(out, s)
			continue
		}
		if s, ok := identifierValue(item); ok && numbers {
			out = append(out, s)
			continue
		}
		d.add(fmt.Sprintf("%s[%d]", path, i), "want a string, got %s", yamlKind(item))
		out = append(out, "")
	}
	return out
}

// integer reads an integer; set is false when absent or bad.
func (d *yamlDoc) integer(path string, v any) (n int, set bool) {
	switch v := v.(type) {
	case nil:
		return 0, false
	case int:
		return v, true
	case int64:
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return int(v), true
		}
		d.add(path, "out of range")
		return 0, false
	case uint64:
		if v <= math.MaxInt32 {
			return int(v), true
		}
		d.add(path, "out of range")
		return 0, false
	case float64:
		if v != math.Trunc(v) {
			d.add(path, "want an integer, got a fraction")
			return 0, false
		}
		if math.Abs(v) <= math.MaxInt32 {
			return int(v), true
		}
		d.add(path, "out of range")
		return 0, false
	}
	d.add(path, "want an integer, got %s", yamlKind(v))
	return 0, false
}

// count reads a non-negative integer; set is false when absent or bad.
func (d *yamlDoc) count(path string, v any) (int, bool) {
	n, set := d.integer(path, v)
	if set && n < 0 {
		d.add(path, "must not be negative")
		return 0, false
	}
	return n, set
}

// boolean reads a boolean; set is false when absent or bad.
func (d *yamlDoc) boolean(path string, v any) (b, set bool) {
	if v == nil {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		d.add(path, "want true or false, got %s", yamlKind(v))
	}
	return b, ok
}

// yamlKind names the YAML type of a decoded value, for messages.
func yamlKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int, int64, uint64, float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}
