package idgraph

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Shared identifiers: a device, browser or install that several people use
// (a family tablet, a kiosk, a test phone) shows itself shared through what
// it is seen with. Once marked shared it no longer joins identifiers into
// one profile: events carrying it still record it, and its links are kept
// as evidence (REJECTED with the rule RuleShared), but it stays in a profile
// of its own. What it glued before is re-homed by a split along it
// (PlanRehome).

// The reasons an identifier is marked shared.
const (
	// SharedTwoUsers: a user_id limit refusal fired through it; two known
	// people logged in behind it.
	SharedTwoUsers = "two_users"
	// SharedManyPeople: it was seen with MinPeople distinct user ids, or
	// emails, within the window.
	SharedManyPeople = "many_people"
	// SharedKiosk: many anonymous ids were seen on it in a short time.
	SharedKiosk = "kiosk"
)

// RuleShared is the rule of the REJECTED link that records a shared
// identifier seen with an event's other identifiers.
const RuleShared = "shared"

// Defaults of the shared-identifier rules.
const (
	DefaultSharedMinPeople   = 2
	DefaultKioskAnonymousIDs = 6
	DefaultKioskWindow       = WindowDaily
	DefaultSharedWindow      = WindowEver
	DefaultAccountDevices    = 8
)

// SharedRules configure how identifiers are found shared (the space's
// `shared:` section). The zero value is off: Segment's behaviour.
type SharedRules struct {
	Enabled bool
	// Types may be marked shared; empty means every type but user_id and
	// email, which name people, and anonymous_id: an anonymous id seen
	// with two user ids stays with the first, as Segment's merge
	// protection has it.
	Types []string
	// MinPeople distinct user ids, or emails, seen with one identifier
	// within Window make it shared.
	MinPeople int
	Window    Window
	// KioskAnonymousIDs distinct anonymous ids first seen with one device
	// (any shareable type but anonymous_id) within KioskWindow make it
	// shared; 0 switches the kiosk rule off.
	KioskAnonymousIDs int
	KioskWindow       Window
	// AccountDevices distinct device ids (*.id) seen with one user id make
	// it a shared account, such as a QA or demo login: the people of its
	// events then show no device shared, since the account, not the device,
	// is what several people use. 0 switches this off.
	AccountDevices int
}

// DefaultSharedRules are on: two people make an identifier shared, ever; six
// anonymous ids in a day make a device a kiosk.
func DefaultSharedRules() SharedRules {
	return SharedRules{
		Enabled: true, MinPeople: DefaultSharedMinPeople, Window: DefaultSharedWindow,
		KioskAnonymousIDs: DefaultKioskAnonymousIDs, KioskWindow: DefaultKioskWindow,
		AccountDevices: DefaultAccountDevices,
	}
}

// Shareable reports whether identifiers of typ can be marked shared.
func (s SharedRules) Shareable(typ string) bool {
	if !s.Enabled {
		return false
	}
	if len(s.Types) > 0 {
		return slices.Contains(s.Types, typ)
	}
	return typ != TypeUserID && typ != TypeEmail && typ != TypeGroupID && typ != TypeAnonymousID
}

// SharedMark says that an identifier is shared: since when, why, and the
// event that showed it.
type SharedMark struct {
	Identifier Identifier `json:"identifier"`
	Since      time.Time  `json:"since"`
	Reason     string     `json:"reason"`
	// Detail says the reason in words: "two users logged in behind it".
	Detail    string `json:"detail"`
	MessageID string `json:"message_id"`
	SourceID  string `json:"source_id"`
}

// Sentence is the mark in words, as explain and history say it:
// "ios.id:X is shared (two users logged in behind it, first in event E);
// it has not joined identifiers since T".
func (m SharedMark) Sentence() string {
	return fmt.Sprintf("%s is shared (%s, first in event %s); it has not joined identifiers since %s",
		m.Identifier, m.Detail, m.MessageID, m.Since.UTC().Format(time.RFC3339))
}

// Companion is an identifier seen in one event with another, and when
// first: what shows an identifier shared. Identifiers of shareable types
// keep a few of theirs (the newest user ids, emails and anonymous ids).
type Companion struct {
	Identifier
	FirstSeen time.Time `json:"first_seen"`
	// Account marks a person seen in an event whose user was a shared
	// account (AccountDevices): it shows no device shared by itself.
	Account bool `json:"account,omitempty"`
}

// IdentifierState is what the resolver needs to know of an identifier
// beyond its profile: whether it is shared, and its companions.
type IdentifierState struct {
	Shared  bool
	Company []Companion
}

// companionCap is how many companions of one type an identifier keeps: the
// newest are the ones any window counts.
func (s SharedRules) companionCap(typ string) int {
	switch {
	case typ == TypeAnonymousID:
		return s.KioskAnonymousIDs
	case typ == TypeUserID || typ == TypeEmail:
		return s.MinPeople
	}
	return s.AccountDevices
}

// keep adds what the event carried to id's company and reports whether it
// changed. A shareable identifier keeps people (user ids and emails, marked
// Account when the event's user is a shared account) and, for a device,
// anonymous ids; a user id keeps device ids. At most companionCap of each
// type, the newest by first sighting.
func (s SharedRules) keep(company []Companion, id Identifier, carried []Identifier, t time.Time, account bool) ([]Companion, bool) {
	changed := false
	// own makes company a copy before its first change: the caller's
	// slice is the store's, and a pass may be thrown away.
	own := func() {
		if !changed {
			company, changed = slices.Clone(company), true
		}
	}
	for _, c := range carried {
		if c == id || !s.companionType(id, c) {
			continue
		}
		i := slices.IndexFunc(company, func(o Companion) bool { return o.Identifier == c })
		if i >= 0 {
			if t.Before(company[i].FirstSeen) {
				own()
				company[i].FirstSeen = t
			}
			continue
		}
		own()
		person := c.Type == TypeUserID || c.Type == TypeEmail
		company = append(company, Companion{Identifier: c, FirstSeen: t, Account: account && person})
	}
	if !changed {
		return company, false
	}
	sort.SliceStable(company, func(i, j int) bool {
		if company[i].Type != company[j].Type {
			return company[i].Type < company[j].Type
		}
		return company[i].FirstSeen.After(company[j].FirstSeen)
	})
	out := company[:0]
	n := map[string]int{}
	for _, c := range company {
		if n[c.Type] < max(s.companionCap(c.Type), 1) {
			n[c.Type]++
			out = append(out, c)
		}
	}
	return out, true
}

// companionType reports whether c is kept as id's companion.
func (s SharedRules) companionType(id, c Identifier) bool {
	switch {
	case id.Type == TypeUserID:
		return c.IsDevice() && s.AccountDevices > 0
	case c.Type == TypeUserID, c.Type == TypeEmail:
		return true
	case c.Type == TypeAnonymousID:
		return id.Type != TypeAnonymousID && s.KioskAnonymousIDs > 0
	}
	return false
}

// sharedAccount reports whether a user id's company shows it a shared
// account: AccountDevices distinct device ids.
func (s SharedRules) sharedAccount(company []Companion) bool {
	n := 0
	for _, c := range company {
		if c.IsDevice() {
			n++
		}
	}
	return s.AccountDevices > 0 && n >= s.AccountDevices
}

// within returns the values of id's companions of typ first seen in w
// before t, sorted; those seen with a shared account only when accounts.
func within(company []Companion, typ string, w Window, t time.Time, accounts bool) []string {
	since := w.Since(t)
	var vals []string
	for _, c := range company {
		if c.Type == typ && (accounts || !c.Account) && !c.FirstSeen.Before(since) && !c.FirstSeen.After(t) {
			vals = append(vals, c.Value)
		}
	}
	sort.Strings(vals)
	return vals
}

// detect says whether company, as of an event at t, shows id shared: the
// reason and its words; "" when not. twoUsers is true when a user_id limit
// refusal fired through id in this event and its user is no shared
// account. People seen only with a shared account count toward
// MinPeople no more than the account does.
func (s SharedRules) detect(id Identifier, company []Companion, t time.Time, twoUsers bool) (reason, detail string) {
	users := within(company, TypeUserID, WindowEver, t, true)
	if twoUsers && len(users) >= 2 {
		return SharedTwoUsers, fmt.Sprintf("two users logged in behind it: %s", joinValues(users, 5))
	}
	for _, typ := range []string{TypeUserID, TypeEmail} {
		if vals := within(company, typ, s.Window, t, false); s.MinPeople > 0 && len(vals) >= s.MinPeople {
			return SharedManyPeople, fmt.Sprintf("seen with %d %ss within %s: %s", len(vals), typ, windowWords(s.Window), joinValues(vals, 5))
		}
	}
	if id.Type != TypeAnonymousID && s.KioskAnonymousIDs > 0 {
		if vals := within(company, TypeAnonymousID, s.KioskWindow, t, true); len(vals) >= s.KioskAnonymousIDs {
			return SharedKiosk, fmt.Sprintf("%d anonymous ids were seen on it within %s, as on a kiosk", len(vals), windowWords(s.KioskWindow))
		}
	}
	return "", ""
}

// windowWords says a window in words: "a day", "ever".
func windowWords(w Window) string {
	switch w {
	case WindowDaily:
		return "a day"
	case WindowWeekly:
		return "a week"
	case WindowMonthly:
		return "a month"
	case WindowAnnually:
		return "a year"
	}
	return "all time"
}

// MaxSharedPasses bounds how often a store resolves one batch again after
// it showed identifiers shared: each pass re-homes what the new ones glued.
const MaxSharedPasses = 4
