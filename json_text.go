package idgraph

import (
	"bytes"
	"unicode/utf8"
)

// encoding/json replaces every invalid UTF-8 byte and every lone surrogate
// escape (\ud800) with U+FFFD, so "caf\xe9", "caf\xeb" and "caf\ud800" all
// decode to the same string: as identifiers, one person. The functions
// below give such strings back as written, their bad bytes kept (a lone
// surrogate as its three-byte form, which is no more valid UTF-8), so that
// checkIdentifiers refuses them where they would be identifiers; it then
// repairs the others as encoding/json would have.

// mayHoldInvalidText reports whether data, valid JSON, may write a string
// that is not valid UTF-8: cheap, and false for nearly every body.
func mayHoldInvalidText(data []byte) bool {
	return !utf8.Valid(data) || bytes.Contains(data, []byte(`\ud`)) || bytes.Contains(data, []byte(`\uD`))
}

// keepInvalidText returns v, decoded from raw (valid JSON), with every
// string that raw writes with invalid UTF-8 or a lone surrogate as written.
// Maps and slices are changed in place; of a key written twice, the last
// is the one decoded and the one walked.
func keepInvalidText(raw []byte, v any) any {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return v
	}
	switch raw[0] {
	case '"':
		if s, bad := unquote(raw); bad {
			return s
		}
	case '{':
		m, _ := v.(map[string]any)
		last := map[string]int{}
		members := scanMembers(raw)
		for i, x := range members {
			last[x.key] = i
		}
		for i, x := range members {
			if old, ok := m[x.key]; ok && last[x.key] == i {
				m[x.key] = keepInvalidText(x.raw, old)
			}
		}
	case '[':
		s, _ := v.([]any)
		items, _ := scanArray(raw)
		for i := range min(len(items), len(s)) {
			s[i] = keepInvalidText(items[i], s[i])
		}
	}
	return v
}

// unquote decodes a JSON string as written, quotes included, as
// encoding/json does, but keeps what it would replace with U+FFFD: invalid
// bytes as they are, and a lone surrogate escape as its three-byte form.
// bad reports whether it kept any.
func unquote(quoted []byte) (s string, bad bool) {
	in := quoted[1 : len(quoted)-1]
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); {
		c := in[i]
		if c != '\\' {
			r, n := utf8.DecodeRune(in[i:])
			bad = bad || (r == utf8.RuneError && n == 1)
			out = append(out, in[i:i+n]...)
			i += n
			continue
		}
		if in[i+1] != 'u' {
			out = append(out, unescape[in[i+1]])
			i += 2
			continue
		}
		r := hex4(in[i+2 : i+6])
		i += 6
		if r >= 0xD800 && r < 0xDC00 && i+6 <= len(in) && in[i] == '\\' && in[i+1] == 'u' {
			if lo := hex4(in[i+2 : i+6]); lo >= 0xDC00 && lo < 0xE000 {
				out = utf8.AppendRune(out, 0x10000+(r-0xD800)<<10+(lo-0xDC00))
				i += 6
				continue
			}
		}
		if r >= 0xD800 && r < 0xE000 {
			bad = true
			out = append(out, 0xE0|byte(r>>12), 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
			continue
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out), bad
}

// unescape maps the character after a backslash to what it stands for.
var unescape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// hex4 reads four hex digits, valid JSON having checked them.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}
