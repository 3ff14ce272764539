package bench

import (
	"time"

	"github.com/idgraph/idgraph"
)

// The workload's proportions. Means are of exponential or geometric draws.
const (
	spanTarget      = 28 * 24 * time.Hour // people arrive over four weeks...
	minArrivalGap   = 3 * time.Minute     // ...but no faster: about 5,000 active at once
	eventsPerPerson = 30                  // on average, to spread arrivals
	sessionGap      = 2 * 24 * time.Hour  // between a person's sessions
	extraSessions   = 4.0                 // sessions per person: 1 + this, on average
	extraEvents     = 5.0                 // events per session: 1 + this, on average
	eventGap        = 40 * time.Second    // between two events of a session
	pKnown          = 0.75                // a person has an account (user id, email)
	pTracking       = 0.35                // a phone allows ad tracking (IDFA / AAID)
	pPushToken      = 0.5                 // an app install registered for push
	pSecondLogin    = 0.85                // a person logs in on an install past their first
	pRefresh        = 0.25                // a logged-in session starts with identify
	pAlias          = 0.2                 // a first login also sends alias
	pMessyEmail     = 0.1                 // an email is sent with capitals and spaces
	pSharedSession  = 0.35                // a session happens on the shared device
	pHousehold      = 0.03                // a person starts a family sharing a tablet
	pStickyGA       = 0.03                // a person starts a household sharing a browser
	pMailbox        = 0.02                // a person starts a company sharing team@
	pKiosk          = 0.03                // a person with an account uses a kiosk once
	pEmployee       = 0.01                // a person also uses the QA account on their phone
	pQASession      = 0.25                // an employee's session is a QA session
	qaSessionEvery  = 20                  // the QA team tests once per this many arrival gaps
	kiosks          = 3                   // store kiosks: one web, two iPads
	qaDevices       = 4                   // the QA team's own test phones
	pJunk           = 0.005               // an event carries a junk identifier
	pReplay         = 0.01                // an event is sent twice
	replayDelay     = 5 * time.Minute     // until the replay
	pOutOfOrder     = 0.02                // an event is sent late
	outOfOrderDelay = 6 * time.Hour       // how late, beyond a minute
)

// person is one human of the workload, or the QA team's pseudo-person.
type person struct {
	num           int
	userID, email string
	first, last   string
	mailbox       *noiseID   // the shared team@ mailbox used as the email
	own           []*install // installs on the person's own devices
	shared        []*install // installs on a shared tablet or browser
	kioskAt       int        // the session (1-based) spent at a kiosk; 0 none
	employee      bool       // also logs into the QA account on their phone
	qa            bool       // the QA team, not a person
	loggedIn      bool       // has logged in at least once

	sessionsLeft, sessionsDone int
	next                       time.Time
	pending                    int // events waiting in the delay heap
	events                     int // events written

	// Ground truth: the personal identifiers the person's written events
	// carried, and a union-find of the ones that shared an event.
	index  map[idgraph.Identifier]int
	order  []idgraph.Identifier
	parent []int
}

// link records that ids appeared together in one of p's events.
func (p *person) link(ids []idgraph.Identifier) {
	first := -1
	for _, id := range ids {
		i, ok := p.index[id]
		if !ok {
			i = len(p.order)
			p.index[id] = i
			p.order = append(p.order, id)
			p.parent = append(p.parent, i)
		}
		if first < 0 {
			first = i
			continue
		}
		if a, b := p.find(first), p.find(i); a != b {
			p.parent[max(a, b)] = min(a, b)
		}
	}
}

func (p *person) find(i int) int {
	for p.parent[i] != i {
		p.parent[i] = p.parent[p.parent[i]]
		i = p.parent[i]
	}
	return i
}

func (p *person) hasPhone() bool {
	for _, inst := range p.own {
		if inst.dev.kind != "web" {
			return true
		}
	}
	return false
}

// device is a phone, a tablet or a web browser.
type device struct {
	kind      string // ios, android or web
	id        string // context.device.id (phones and tablets)
	idfa      string // advertising id
	tracking  bool   // adTrackingEnabled
	model, os string
	ga        string // Google Analytics client id (web)
	ua        string
	ip        string
	// noise is the kind of a device no single person owns; "" for a
	// person's own device. ids are its shared identifiers.
	noise   NoiseKind
	ids     []*noiseID
	counted bool // counted as an instance of its noise kind
}

// install is one app (or website) on one device.
type install struct {
	dev    *device
	app    *App
	resets bool // a logout gives a new anonymousId
	// anonShared: the anonymousId is noise, used by several people (a
	// shared install that does not reset, or the QA team's phones).
	anonShared bool
	anon       string
	anonRef    *noiseID
	token      string
	tokenRef   *noiseID
	user       string // the user id logged in, "" when logged out
	loginAfter int    // own installs: anonymous sessions before logging in; -1 never
	sessions   int
}

// noiseID is an identifier that belongs to no single person.
type noiseID struct {
	id      idgraph.Identifier
	kind    NoiseKind
	written bool // its ground-truth line is out
}

// qaAccount is the QA team's account and test phones.
type qaAccount struct {
	userID, email string
	userRef       *noiseID
	emailRef      *noiseID
	installs      []*install
}
