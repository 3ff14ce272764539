package idgraph

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Window is the period over which an identifier limit counts values.
type Window string

// The windows a limit can be counted over, from the event's time.
const (
	WindowEver     Window = "ever"
	WindowDaily    Window = "daily"
	WindowWeekly   Window = "weekly"
	WindowMonthly  Window = "monthly"
	WindowAnnually Window = "annually"
)

// ParseWindow returns the window named s ("" means ever).
func ParseWindow(s string) (Window, error) {
	switch w := Window(strings.ToLower(strings.TrimSpace(s))); w {
	case "":
		return WindowEver, nil
	case WindowEver, WindowDaily, WindowWeekly, WindowMonthly, WindowAnnually:
		return w, nil
	}
	return "", Errorf(EINVALID, "unknown window %q: want ever, daily, weekly, monthly or annually", s)
}

// Since returns the earliest first-seen time that still counts against a
// limit for an event at t; the zero time for WindowEver.
func (w Window) Since(t time.Time) time.Time {
	switch w {
	case WindowDaily:
		return t.AddDate(0, 0, -1)
	case WindowWeekly:
		return t.AddDate(0, 0, -7)
	case WindowMonthly:
		return t.AddDate(0, -1, 0)
	case WindowAnnually:
		return t.AddDate(-1, 0, 0)
	}
	return time.Time{}
}

// Default per-profile caps and per-type limits (DESIGN.md section 4).
const (
	DefaultMaxMerges      = 100
	DefaultMaxIdentifiers = 1000
	DefaultLimit          = 5
	// DefaultPriority is the priority of every type without one of its own;
	// ties between types are broken alphabetically.
	DefaultPriority = 3
)

// DefaultBlocked are the values that are never identifiers unless a space
// says otherwise: junk that SDKs and broken integrations send.
var DefaultBlocked = []string{`/^[0-]*$/`, "-1", "null", "undefined", "none", "nan", "anonymous", "[object Object]"}

// IdentifierRule configures one identifier type.
type IdentifierRule struct {
	Type string
	// Priority orders types when an identifier must be dropped: 1 is the
	// highest. Zero means the default.
	Priority int
	// Limit is how many values of the type one profile may hold within
	// Window; zero means the default, negative is invalid.
	Limit  int
	Window Window
	// Blocked values of this type, on top of the space's blocked values.
	Blocked Blocklist
	// Trait and Property name the traits or properties key a custom type is
	// read from.
	Trait    string
	Property string
}

// Rules are a space's identity rules: what may join a profile.
type Rules struct {
	Types          map[string]IdentifierRule
	Blocked        Blocklist
	MaxMerges      int
	MaxIdentifiers int
	// Shared finds identifiers several people use and stops them joining;
	// off is Segment's behaviour (segment_compatible: true).
	Shared SharedRules
}

// DefaultRules are Segment's defaults, improved: user_id 1 ever, others 5
// ever, priorities user_id then email then alphabetical, junk values blocked.
func DefaultRules() Rules {
	bl, err := ParseBlocklist(DefaultBlocked)
	if err != nil {
		panic(err)
	}
	return Rules{
		Types: map[string]IdentifierRule{
			"user_id": {Type: "user_id", Priority: 1, Limit: 1, Window: WindowEver},
			"email":   {Type: "email", Priority: 2, Limit: DefaultLimit, Window: WindowEver},
		},
		Blocked:        bl,
		MaxMerges:      DefaultMaxMerges,
		MaxIdentifiers: DefaultMaxIdentifiers,
		Shared:         DefaultSharedRules(),
	}
}

// SegmentCompatible returns r with shared identifiers off: Segment's
// behaviour, for those who need it exactly (segment_compatible: true).
func (r Rules) SegmentCompatible() Rules {
	r.Shared = SharedRules{}
	return r
}

// Priority returns the priority of an identifier type (1 is highest).
func (r Rules) Priority(typ string) int {
	if rule, ok := r.Types[typ]; ok && rule.Priority > 0 {
		return rule.Priority
	}
	return DefaultPriority
}

// Limit returns how many values of typ a profile may hold, and over which
// window.
func (r Rules) Limit(typ string) (int, Window) {
	rule, ok := r.Types[typ]
	limit, window := DefaultLimit, WindowEver
	if ok && rule.Limit > 0 {
		limit = rule.Limit
	}
	if ok && rule.Window != "" {
		window = rule.Window
	}
	return limit, window
}

// Before orders identifiers by priority, then type, then value: the order in
// which an event's identifiers claim their place in a profile.
func (r Rules) Before(a, b Identifier) bool {
	pa, pb := r.Priority(a.Type), r.Priority(b.Type)
	if pa != pb {
		return pa < pb
	}
	return a.Less(b)
}

// IsBlocked reports whether id's value is blocked for its type.
func (r Rules) IsBlocked(id Identifier) bool {
	if r.Blocked.Match(id.Value) {
		return true
	}
	rule, ok := r.Types[id.Type]
	return ok && rule.Blocked.Match(id.Value)
}

// Blocklist matches values exactly (case-insensitively) or by regular
// expression. Empty and blank values always match.
type Blocklist struct {
	exact    map[string]bool
	patterns []*regexp.Regexp
	source   []string
}

// ParseBlocklist reads values: "/re/" is a regular expression, anything else
// an exact value.
func ParseBlocklist(values []string) (Blocklist, error) {
	bl := Blocklist{exact: map[string]bool{}, source: values}
	var ps Problems
	for i, v := range values {
		if len(v) >= 2 && strings.HasPrefix(v, "/") && strings.HasSuffix(v, "/") {
			re, err := regexp.Compile(v[1 : len(v)-1])
			if err != nil {
				ps.Add(fmt.Sprintf("blocked[%d]", i), "bad regular expression %q: %v", v, err)
				continue
			}
			bl.patterns = append(bl.patterns, re)
			continue
		}
		bl.exact[strings.ToLower(strings.TrimSpace(v))] = true
	}
	return bl, ps.Err()
}

// Match reports whether v is blocked.
func (bl Blocklist) Match(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || bl.exact[strings.ToLower(v)] {
		return true
	}
	for _, re := range bl.patterns {
		if re.MatchString(v) {
			return true
		}
	}
	return false
}

// Values returns the blocklist as it was written.
func (bl Blocklist) Values() []string { return bl.source }
