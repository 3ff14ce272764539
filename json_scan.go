package idgraph

import "encoding/json"

// The scanners below walk JSON text already known to be valid
// (json.Valid), to find where each member or item is as written: far
// cheaper than encoding/json's Token, and they need not report errors.

// scanMembers returns the members of data, a valid JSON object, in order,
// keys decoded.
func scanMembers(data []byte) []member {
	var out []member
	for i := skipSpace(data, 1); data[i] != '}'; {
		end := skipString(data, i)
		key := decodeKey(data[i:end])
		i = skipSpace(data, end)
		i = skipSpace(data, i+1) // the ':'
		end = skipValue(data, i)
		out = append(out, member{key: key, raw: json.RawMessage(data[i:end])})
		if i = skipSpace(data, end); data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return out
}

// decodeKey decodes a JSON string as written, quotes included.
func decodeKey(quoted []byte) string {
	for _, c := range quoted {
		if c == '\\' {
			var s string
			_ = json.Unmarshal(quoted, &s)
			return s
		}
	}
	return string(quoted[1 : len(quoted)-1])
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just past the string starting at i.
func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index just past the value starting at i.
func skipValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for ; i < len(data); i++ {
			switch data[i] {
			case '"':
				i = skipString(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for ; i < len(data); i++ {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
	}
	return i
}
