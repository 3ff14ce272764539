package cypher_test

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Every Cypher file starts with one header format:
//
//	// What the query does, in one or more lines.
//	// Parameters: $space, $type, $value (the identifier); $limit (integer).
//	// Returns: profile_id, total (members), element_id (valid within the
//	//   transaction), type, value.
//
// "Parameters: none." and "Returns: nothing." when so. A section goes on
// over lines indented by two more spaces and ends with a period. Parameters
// lists exactly the $parameters the query uses; Returns lists the columns of
// its final RETURN, in order (each a name, then anything in brackets).

var (
	paramRef    = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)
	leadingName = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)`)
	columnAlias = regexp.MustCompile(`(?is)\bAS\s+([A-Za-z_][A-Za-z0-9_]*)\s*$`)
	returnWord  = regexp.MustCompile(`(?i)\bRETURN\b(\s+DISTINCT\b)?`)
	clauseEnd   = regexp.MustCompile(`(?i)\b(ORDER\s+BY|SKIP|LIMIT|UNION)\b`)
)

// headerParts are the three parts of a header, each its lines joined.
type headerParts struct {
	about, parameters, returns string
}

// checkHeader returns every way a file's header strays from the format.
func checkHeader(text string) []string {
	comment, body := header(text)
	if comment == "" {
		return []string{"does not start with a // comment"}
	}
	h, ps := splitHeader(comment)
	if len(ps) > 0 {
		return ps
	}
	return append(checkParameters(h, body), checkReturns(h, body)...)
}

// splitHeader cuts a comment into its parts, with the problems of its layout.
func splitHeader(comment string) (headerParts, []string) {
	var h headerParts
	var ps []string
	section := &h.about
	sawParameters, sawReturns := false, false
	for i, line := range strings.Split(comment, "\n") {
		text, ok := strings.CutPrefix(line, "// ")
		if !ok {
			ps = append(ps, fmt.Sprintf(`comment line %d: want "// " and text, got %q`, i+1, line))
			continue
		}
		switch {
		case strings.HasPrefix(text, "Parameters:"):
			if h.about == "" {
				ps = append(ps, "the first line must say what the query does, before Parameters:")
			}
			if sawParameters || sawReturns {
				ps = append(ps, fmt.Sprintf("comment line %d: Parameters: comes once, before Returns:", i+1))
			}
			sawParameters, section = true, &h.parameters
			h.parameters = strings.TrimSpace(strings.TrimPrefix(text, "Parameters:"))
		case strings.HasPrefix(text, "Returns:"):
			if !sawParameters || sawReturns {
				ps = append(ps, fmt.Sprintf("comment line %d: Returns: comes once, after Parameters:", i+1))
			}
			sawReturns, section = true, &h.returns
			h.returns = strings.TrimSpace(strings.TrimPrefix(text, "Returns:"))
		case !sawParameters:
			h.about = strings.TrimSpace(h.about + " " + text)
		default:
			more, ok := strings.CutPrefix(text, "  ")
			if !ok || strings.HasPrefix(more, " ") {
				ps = append(ps, fmt.Sprintf(`comment line %d: indent a continuation of Parameters: or Returns: by two spaces ("//   "); nothing else may follow them`, i+1))
			}
			*section += " " + strings.TrimSpace(more)
		}
	}
	if !sawParameters {
		ps = append(ps, `no "// Parameters:" line`)
	}
	if !sawReturns {
		ps = append(ps, `no "// Returns:" line`)
	}
	if sawParameters && !strings.HasSuffix(h.parameters, ".") {
		ps = append(ps, "Parameters: must end with a period")
	}
	if sawReturns && !strings.HasSuffix(h.returns, ".") {
		ps = append(ps, "Returns: must end with a period")
	}
	return h, ps
}

// checkParameters compares the parameters listed with those the query uses.
func checkParameters(h headerParts, body string) []string {
	var ps []string
	used, listed := paramSet(body), paramSet(h.parameters)
	if len(listed) == 0 && h.parameters != "none." {
		ps = append(ps, `Parameters: lists no $parameter: write "Parameters: none."`)
	}
	for _, p := range sortedSet(used) {
		if !listed[p] {
			ps = append(ps, fmt.Sprintf("the query uses $%s but Parameters: does not list it", p))
		}
	}
	for _, p := range sortedSet(listed) {
		if !used[p] {
			ps = append(ps, fmt.Sprintf("Parameters: lists $%s, which the query does not use", p))
		}
	}
	for _, p := range sortedSet(paramSet(h.about)) {
		if !used[p] {
			ps = append(ps, fmt.Sprintf("the description mentions $%s, which is not a parameter of the query", p))
		}
	}
	return ps
}

// checkReturns compares the columns listed with those the query returns.
func checkReturns(h headerParts, body string) []string {
	listed, returned := headerColumns(h.returns), returnColumns(body)
	if !slices.Equal(listed, returned) {
		return []string{fmt.Sprintf("Returns: lists %v, but the query returns %v", listed, returned)}
	}
	return nil
}

func paramSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, m := range paramRef.FindAllStringSubmatch(s, -1) {
		set[m[1]] = true
	}
	return set
}

func sortedSet(set map[string]bool) []string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// headerColumns returns the column names a Returns: text lists: the name
// that starts each comma-separated item, brackets and what they hold left
// out; none for "nothing".
func headerColumns(text string) []string {
	var cols []string
	for _, item := range strings.Split(topLevel(strings.TrimSuffix(text, "."), `"`), ",") {
		m := leadingName.FindStringSubmatch(item)
		if m == nil {
			cols = append(cols, strings.TrimSpace(item))
			continue
		}
		cols = append(cols, m[1])
	}
	if slices.Equal(cols, []string{"nothing"}) {
		return nil
	}
	return cols
}

// returnColumns returns the columns of a query's last RETURN outside any
// subquery, by alias (or name); none when it has no such RETURN.
func returnColumns(body string) []string {
	masked := topLevel(body, "'\"`")
	locs := returnWord.FindAllStringIndex(masked, -1)
	if len(locs) == 0 {
		return nil
	}
	start := locs[len(locs)-1][1]
	end := len(masked)
	if loc := clauseEnd.FindStringIndex(masked[start:]); loc != nil {
		end = start + loc[0]
	}
	var cols []string
	for from := start; from < end; {
		to := strings.IndexByte(masked[from:end], ',')
		if to < 0 {
			to = end
		} else {
			to += from
		}
		item := strings.TrimSpace(body[from:to])
		if m := columnAlias.FindStringSubmatch(item); m != nil {
			item = m[1]
		}
		cols = append(cols, item)
		from = to + 1
	}
	return cols
}

// topLevel returns s with all that stands inside brackets or the given
// quotes turned into spaces, so that what is left is at the top level; the
// byte offsets are those of s.
func topLevel(s, quotes string) string {
	b := []byte(s)
	depth := 0
	var quote byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(b) {
				b[i] = ' '
				i++
			} else if c == quote {
				quote = 0
			}
		case strings.IndexByte(quotes, c) >= 0:
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case depth == 0:
			continue
		}
		b[i] = ' '
	}
	return string(b)
}
